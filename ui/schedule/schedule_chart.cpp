#include "core/schedule/noise_schedule.h"

#include "ui/schedule/schedule_chart.h"

#include "ui/shared/maths_format.h"
#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QMouseEvent>

#include <cmath>
#include <limits>

namespace ddpm::ui {

namespace {

constexpr int kPanels = 3;

QString panelLabel(int panel) {
  switch (static_cast<SchedulePanel>(panel)) {
    case SchedulePanel::Scales: return QObject::tr("scale (eq. 4)");
    case SchedulePanel::Variances: return QObject::tr("variance");
    case SchedulePanel::LogSnr: return QObject::tr("log SNR");
  }
  return {};
}

double panelStretch(int panel) {
  return panel == 0 ? 1.25 : 1.0;
}

}  // namespace

ScheduleChart::ScheduleChart(QWidget* parent) : StudioPlot(parent) {
  m_visible.fill(true);
  plot()->setAutoAddPlottableToLegend(false);
  plot()->setAntialiasedElements(QCP::aePlottables | QCP::aeItems);
  plot()->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmBuffered);
  buildPanels();
  buildSeries();
  buildLabels();
  connect(plot(), &QCustomPlot::afterReplot, this, [this] { m_drawn = true; });
  plot()->setMouseTracking(true);
  plot()->installEventFilter(this);
  plot()->setToolTip(tr("Press or drag to move t; hover to read the values."));
  applyStyle();
  refreshData();
}

ScheduleChart::~ScheduleChart() = default;

void ScheduleChart::buildPanels() {
  // Panel 0 reuses the plot's own axis rect and legend; panels 1–2 get their own. Each
  // legend sits at the top of a cell beside its panel, above an empty element that takes
  // the rest of the height (so legend rows do not spread out). Elements join the plot's
  // layout before anything is put in them, so they know their plot.
  auto* margins = new QCPMarginGroup(plot());
  QCPLayoutGrid* grid = plot()->plotLayout();
  for (int p = 0; p < kPanels; ++p) {
    QCPAxisRect* rect = p == 0 ? plot()->axisRect() : new QCPAxisRect(plot());
    if (p > 0) grid->addElement(p, 0, rect);
    auto* cell = new QCPLayoutGrid;
    grid->addElement(p, 1, cell);
    QCPLegend* legend = plot()->legend;
    if (p == 0) {
      rect->insetLayout()->take(legend);
      rect->insetLayout()->simplify();
    } else {
      legend = new QCPLegend;
    }
    cell->addElement(0, 0, legend);
    cell->addElement(1, 0, new QCPLayoutElement(plot()));
    cell->setRowStretchFactor(0, 0.001);
    cell->setRowStretchFactor(1, 1.0);
    m_legendCells[static_cast<std::size_t>(p)] = cell;
    legend->setLayer(QStringLiteral("legend"));
    legend->setVisible(true);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    rect->axis(QCPAxis::atLeft)->setLabel(panelLabel(p));
    rect->axis(QCPAxis::atBottom)->setLabel(tr("timestep t"));
    rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(4);
    // t is a whole number: ticks at integer multiples (1, 2, 5, 10, … steps apart).
    QSharedPointer<QCPAxisTickerFixed> steps(new QCPAxisTickerFixed);
    steps->setTickStep(1.0);
    steps->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    rect->axis(QCPAxis::atBottom)->setTicker(steps);
    m_rects[static_cast<std::size_t>(p)] = rect;
    m_legends[static_cast<std::size_t>(p)] = legend;

    auto* cursor = new QCPItemStraightLine(plot());
    cursor->setClipAxisRect(rect);
    cursor->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    cursor->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    cursor->setPen(QPen(colours::kCursor, 1.6));
    cursor->setLayer(QStringLiteral("overlay"));
    m_cursorLines[static_cast<std::size_t>(p)] = cursor;

    auto* hover = new QCPItemStraightLine(plot());
    hover->setClipAxisRect(rect);
    hover->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    hover->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    hover->setPen(QPen(colours::kHover, 1, Qt::DashLine));
    hover->setLayer(QStringLiteral("overlay"));
    hover->setVisible(false);
    m_hoverLines[static_cast<std::size_t>(p)] = hover;
  }
  m_rects[0]->axis(QCPAxis::atLeft)->setRange(-0.02, 1.04);
}

void ScheduleChart::buildSeries() {
  for (ScheduleSeries s : allScheduleSeries()) {
    const auto i = static_cast<std::size_t>(s);
    QCPAxisRect* rect = m_rects[static_cast<std::size_t>(seriesPanel(s))];
    const QColor colour = seriesColour(s);
    m_graphs[i] = plot()->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    // β̃ₜ ≈ βₜ for most schedules: β is drawn wide beneath a thin β̃ so both stay visible.
    const double width = s == ScheduleSeries::Beta ? 4.0 : (s == ScheduleSeries::PosteriorVariance ? 1.6 : 2.4);
    m_graphs[i]->setPen(QPen(colour, width));
    m_graphs[i]->setName(seriesLabel(s));
    m_compareGraphs[i] = plot()->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    m_compareGraphs[i]->setPen(QPen(colour.lighter(115), 2.0, Qt::DashLine));
    m_compareGraphs[i]->setVisible(false);

    auto* tracer = new QCPItemTracer(plot());  // attached to its graph once there is data
    tracer->setInterpolating(false);
    tracer->setStyle(QCPItemTracer::tsCircle);
    tracer->setSize(8);
    tracer->setPen(QPen(colour.darker(110), 2));
    tracer->setBrush(Qt::white);
    tracer->setClipAxisRect(rect);
    tracer->setLayer(QStringLiteral("overlay"));
    tracer->setVisible(false);  // until there is data to sit on
    m_tracers[i] = tracer;
  }
}

void ScheduleChart::buildLabels() {
  m_cursorLabel = new QCPItemText(plot());
  m_cursorLabel->setClipToAxisRect(false);
  m_cursorLabel->position->setAxes(m_rects[0]->axis(QCPAxis::atBottom), m_rects[0]->axis(QCPAxis::atLeft));
  m_cursorLabel->position->setAxisRect(m_rects[0]);
  m_cursorLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
  m_cursorLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  m_cursorLabel->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
  m_cursorLabel->setPadding(QMargins(6, 2, 6, 2));
  m_cursorLabel->setBrush(colours::kCursor);
  m_cursorLabel->setColor(Qt::white);
  m_cursorLabel->setLayer(QStringLiteral("overlay"));

  m_hoverBox = new QCPItemText(plot());
  m_hoverBox->setClipToAxisRect(false);
  m_hoverBox->position->setType(QCPItemPosition::ptAbsolute);
  m_hoverBox->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_hoverBox->setTextAlignment(Qt::AlignLeft);
  m_hoverBox->setPadding(QMargins(8, 6, 8, 6));
  m_hoverBox->setBrush(QColor(255, 255, 255, 240));
  m_hoverBox->setPen(QPen(QColor(0xc5, 0xcb, 0xd3)));
  m_hoverBox->setColor(colours::kText);
  m_hoverBox->setLayer(QStringLiteral("overlay"));
  m_hoverBox->setVisible(false);
}

void ScheduleChart::applyStyle() {
  StudioPlot::applyStyle();
  const QFont small = scaledFont(font(), 0.9);
  for (QCPLegend* legend : m_legends) {
    legend->setFont(small);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setRowSpacing(2);
  }
  m_cursorLabel->setFont(scaledFont(font(), 0.9, true));
  m_hoverBox->setFont(small);
  // Room above the top panel for the "t = …" label on the cursor line.
  const int labelHeight = QFontMetrics(m_cursorLabel->font()).height() + 10;
  for (QCPAxisRect* rect : m_rects) rect->setMinimumMargins(QMargins(0, rect == m_rects[0] ? labelHeight : 4, 0, 0));
  plot()->plotLayout()->setRowSpacing(6);
}

void ScheduleChart::replotOverlay() {
  // Only the overlay layer (cursor, hover) is redrawn, once the plot has been drawn whole.
  if (m_drawn) plot()->layer(QStringLiteral("overlay"))->replot();
  else queueReplot();
}

QCPGraph* ScheduleChart::graph(ScheduleSeries series, bool compare) const {
  return (compare ? m_compareGraphs : m_graphs)[static_cast<std::size_t>(series)];
}

void ScheduleChart::setSchedule(std::shared_ptr<const NoiseSchedule> schedule) {
  m_schedule = std::move(schedule);
  refreshData();
}

void ScheduleChart::setCompare(std::shared_ptr<const NoiseSchedule> schedule) {
  m_compare = std::move(schedule);
  refreshData();
}

void ScheduleChart::setCursorT(int t) {
  if (t == m_cursorT) return;
  m_cursorT = t;
  placeCursor();
  if (m_hoverT >= 0) m_hoverBox->setText(hoverText());
  replotOverlay();
}

void ScheduleChart::setSeriesVisible(ScheduleSeries series, bool visible) {
  m_visible[static_cast<std::size_t>(series)] = visible;
  refreshData();
}

bool ScheduleChart::isSeriesVisible(ScheduleSeries series) const {
  return m_visible[static_cast<std::size_t>(series)];
}

void ScheduleChart::setLogVariances(bool log) {
  if (log == m_logVariances) return;
  m_logVariances = log;
  QCPAxis* axis = m_rects[static_cast<int>(SchedulePanel::Variances)]->axis(QCPAxis::atLeft);
  if (log) {
    axis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    ticker->setSubTickCount(8);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
  } else {
    axis->setScaleType(QCPAxis::stLinear);
    axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    axis->ticker()->setTickCount(4);
    axis->setNumberFormat(QStringLiteral("gb"));
    axis->setNumberPrecision(6);
  }
  refreshData();
}

void ScheduleChart::setGraphData(QCPGraph* graph, const NoiseSchedule* schedule, ScheduleSeries series) const {
  if (!schedule) {
    graph->data()->clear();
    return;
  }
  const int steps = static_cast<int>(schedule->steps());
  QVector<double> keys(steps), values(steps);
  const bool logAxis = m_logVariances && seriesPanel(series) == SchedulePanel::Variances;
  for (int t = 0; t < steps; ++t) {
    keys[t] = t;
    double v = seriesValue(*schedule, series, t);
    if (logAxis && !(v > 0)) v = std::numeric_limits<double>::quiet_NaN();  // β̃ at t = 0 is 0
    values[t] = v;
  }
  graph->setData(keys, values, true);
  // A short schedule (a custom file of a few βs) shows its points, not just a polyline.
  const QColor colour = graph->pen().color();
  graph->setScatterStyle(steps <= 50 ? QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6)
                                     : QCPScatterStyle(QCPScatterStyle::ssNone));
}

void ScheduleChart::refreshData() {
  const bool comparing = m_compare != nullptr;
  const QString mainName = m_schedule ? QString::fromStdString(to_string(m_schedule->spec().kind)) : QString();
  const QString compareName = comparing ? QString::fromStdString(to_string(m_compare->spec().kind)) : QString();
  for (QCPLegend* legend : m_legends) legend->clearItems();
  for (ScheduleSeries s : allScheduleSeries()) {
    const auto i = static_cast<std::size_t>(s);
    const bool visible = m_visible[i];
    setGraphData(m_graphs[i], m_schedule.get(), s);
    setGraphData(m_compareGraphs[i], m_compare.get(), s);
    m_tracers[i]->setGraph(m_graphs[i]->data()->isEmpty() ? nullptr : m_graphs[i]);
    m_graphs[i]->setVisible(visible);
    m_compareGraphs[i]->setVisible(visible && comparing);
    m_graphs[i]->setName(comparing ? QStringLiteral("%1  %2").arg(seriesLabel(s), mainName) : seriesLabel(s));
    m_compareGraphs[i]->setName(QStringLiteral("%1  %2 (dashed)").arg(seriesLabel(s), compareName));
    QCPLegend* legend = m_legends[static_cast<std::size_t>(seriesPanel(s))];
    if (visible) {
      m_graphs[i]->addToLegend(legend);
      if (comparing) m_compareGraphs[i]->addToLegend(legend);
    }
  }

  // Panels with no visible series leave the layout; the lowest remaining one carries the t axis.
  QCPLayoutGrid* grid = plot()->plotLayout();
  for (int i = grid->elementCount() - 1; i >= 0; --i) grid->takeAt(i);
  grid->simplify();
  int row = 0;
  QCPAxisRect* lowest = nullptr;
  for (int p = 0; p < kPanels; ++p) {
    bool any = false;
    for (ScheduleSeries s : allScheduleSeries())
      if (static_cast<int>(seriesPanel(s)) == p && m_visible[static_cast<std::size_t>(s)]) any = true;
    QCPAxisRect* rect = m_rects[static_cast<std::size_t>(p)];
    rect->setVisible(any);
    m_legends[static_cast<std::size_t>(p)]->setVisible(any);
    if (!any) continue;
    grid->addElement(row, 0, rect);
    grid->addElement(row, 1, m_legendCells[static_cast<std::size_t>(p)]);
    grid->setRowStretchFactor(row, panelStretch(p));
    lowest = rect;
    ++row;
  }
  if (row > 0) {
    grid->setColumnStretchFactor(0, 1.0);
    grid->setColumnStretchFactor(1, 0.001);
  }
  for (QCPAxisRect* rect : m_rects) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    x->setTickLabels(rect == lowest);
    x->setLabel(rect == lowest ? tr("timestep t") : QString());
  }
  rescale();
  placeCursor();
  queueReplot();
}

void ScheduleChart::rescale() {
  int steps = m_schedule ? static_cast<int>(m_schedule->steps()) : 1;
  if (m_compare) steps = std::max(steps, static_cast<int>(m_compare->steps()));
  for (QCPAxisRect* rect : m_rects) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    if (steps > 1) x->setRange(0, steps - 1);
    else x->setRange(-0.5, 0.5);
  }
  // Variances and log SNR: the range of what is visible, from both schedules.
  double low = std::numeric_limits<double>::infinity(), high = -low;
  double snrLow = low, snrHigh = -low;
  for (ScheduleSeries s : allScheduleSeries()) {
    if (!m_visible[static_cast<std::size_t>(s)]) continue;
    for (const NoiseSchedule* schedule : {m_schedule.get(), m_compare.get()}) {
      if (!schedule) continue;
      for (int t = 0; t < schedule->steps(); ++t) {
        const double v = seriesValue(*schedule, s, t);
        if (!std::isfinite(v)) continue;
        if (seriesPanel(s) == SchedulePanel::Variances) {
          if (m_logVariances && v <= 0) continue;
          low = std::min(low, v);
          high = std::max(high, v);
        } else if (seriesPanel(s) == SchedulePanel::LogSnr) {
          snrLow = std::min(snrLow, v);
          snrHigh = std::max(snrHigh, v);
        }
      }
    }
  }
  QCPAxis* variance = m_rects[static_cast<int>(SchedulePanel::Variances)]->axis(QCPAxis::atLeft);
  if (std::isfinite(high)) {
    if (m_logVariances) variance->setRange(low / 2.0, high * 2.0);
    else variance->setRange(0, high * 1.08);
  }
  QCPAxis* snr = m_rects[static_cast<int>(SchedulePanel::LogSnr)]->axis(QCPAxis::atLeft);
  if (std::isfinite(snrHigh)) {
    const double pad = std::max(0.5, 0.06 * (snrHigh - snrLow));
    snr->setRange(snrLow - pad, snrHigh + pad);
  }
}

void ScheduleChart::placeCursor() {
  const double t = m_cursorT;
  for (int p = 0; p < kPanels; ++p) {
    m_cursorLines[static_cast<std::size_t>(p)]->point1->setCoords(t, 0);
    m_cursorLines[static_cast<std::size_t>(p)]->point2->setCoords(t, 1);
  }
  for (ScheduleSeries s : allScheduleSeries()) {
    const auto i = static_cast<std::size_t>(s);
    const bool inRange = m_schedule && m_cursorT < m_schedule->steps() && m_tracers[i]->graph();
    double v = inRange ? seriesValue(*m_schedule, s, m_cursorT) : std::nan("");
    if (m_logVariances && seriesPanel(s) == SchedulePanel::Variances && !(v > 0)) v = std::nan("");
    m_tracers[i]->setGraphKey(t);
    m_tracers[i]->setVisible(m_visible[i] && std::isfinite(v));
  }
  m_cursorLabel->position->setCoords(t, -0.01);
  m_cursorLabel->setText(QStringLiteral("t = %1").arg(m_cursorT));
}

int ScheduleChart::tAtPixel(double x) const {
  int steps = m_schedule ? static_cast<int>(m_schedule->steps()) : 1;
  if (m_compare) steps = std::max(steps, static_cast<int>(m_compare->steps()));
  const double t = m_rects[0]->axis(QCPAxis::atBottom)->pixelToCoord(x);
  return std::clamp(static_cast<int>(std::lround(t)), 0, steps - 1);
}

QString ScheduleChart::hoverText() const {
  if (m_hoverT < 0 || !m_schedule) return {};
  QStringList lines;
  lines << tr("t = %1  (paper step %2)").arg(m_hoverT).arg(m_hoverT + 1);
  for (ScheduleSeries s : allScheduleSeries()) {
    if (!m_visible[static_cast<std::size_t>(s)]) continue;
    QString line = seriesLabel(s) + QStringLiteral(" = ");
    line += m_hoverT < m_schedule->steps() ? formatNumber(seriesValue(*m_schedule, s, m_hoverT)) : QStringLiteral("—");
    if (m_compare)
      line += QStringLiteral("   ┆ ") + (m_hoverT < m_compare->steps()
                                            ? formatNumber(seriesValue(*m_compare, s, m_hoverT))
                                            : QStringLiteral("—"));
    lines << line;
  }
  return lines.join(QLatin1Char('\n'));
}

void ScheduleChart::updateHover(const QPoint& pixel) {
  bool inside = false;
  for (QCPAxisRect* rect : m_rects)
    if (rect->visible() && rect->rect().contains(pixel)) inside = true;
  if (!inside && !m_hoverBox->visible()) return;
  const int t = inside ? tAtPixel(pixel.x()) : -1;
  m_hoverT = t;
  for (int p = 0; p < kPanels; ++p) {
    auto* line = m_hoverLines[static_cast<std::size_t>(p)];
    line->setVisible(inside);
    line->point1->setCoords(t, 0);
    line->point2->setCoords(t, 1);
  }
  m_hoverBox->setVisible(inside);
  if (inside) {
    m_hoverBox->setText(hoverText());
    // Keep the box inside the plot: flip to the left of the mouse near the right edge.
    const QFontMetrics metrics(m_hoverBox->font());
    const QRect box = metrics.boundingRect(QRect(0, 0, 1000, 1000), Qt::AlignLeft, m_hoverBox->text());
    const int width = box.width() + 20;
    const QRect area = m_rects[0]->rect();
    int x = pixel.x() + 14;
    if (x + width > plot()->width() - 4) x = pixel.x() - 14 - width;
    m_hoverBox->position->setCoords(x, area.top() + 6);
  }
  replotOverlay();
}

bool ScheduleChart::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot()) {
    switch (event->type()) {
      case QEvent::MouseButtonPress: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton) {
          m_dragging = true;
          emit tRequested(tAtPixel(mouse->position().x()));
          return true;
        }
        break;
      }
      case QEvent::MouseMove: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (m_dragging) emit tRequested(tAtPixel(mouse->position().x()));
        updateHover(mouse->position().toPoint());
        return true;
      }
      case QEvent::MouseButtonRelease:
        m_dragging = false;
        return true;
      case QEvent::Leave:
        updateHover(QPoint(-1, -1));
        break;
      default:
        break;
    }
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace ddpm::ui
