#include "ui/evaluate/quality_steps_chart.h"

#include "ui/evaluate/evaluation_types.h"
#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {
const QColor kDdim{0x2f, 0x6f, 0xd0};
const QColor kDdpm{0xd5, 0x5e, 0x00};
const QColor kTime{0x5b, 0x64, 0x72};
}  // namespace

QualityStepsChart::QualityStepsChart(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  m_title = new QCPTextElement(m_plot, tr("Quality against the number of steps (lower is better)"));
  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, m_title);

  m_ddimScore = m_plot->addGraph();
  m_ddimScore->setName(tr("DDIM (η = 0): score"));
  m_ddimScore->setPen(QPen(kDdim, 2));
  m_ddimScore->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kDdim, kDdim, 8));
  m_ddpmScore = m_plot->addGraph();
  m_ddpmScore->setName(tr("DDPM (T steps): score"));
  m_ddpmScore->setLineStyle(QCPGraph::lsNone);
  m_ddpmScore->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(kDdpm, 2), kDdpm, 13));
  m_ddimSeconds = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
  m_ddimSeconds->setName(tr("DDIM: wall time (right axis)"));
  m_ddimSeconds->setPen(QPen(kTime, 1.5, Qt::DashLine));
  m_ddimSeconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, kTime, 6));
  m_ddpmSeconds = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
  m_ddpmSeconds->setName(tr("DDPM: wall time (right axis)"));
  m_ddpmSeconds->setLineStyle(QCPGraph::lsNone);
  m_ddpmSeconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(kDdpm, 1.5), Qt::NoBrush, 9));

  m_plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
  m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  m_plot->xAxis->setLabel(tr("network calls (sampling steps), log scale"));
  m_plot->yAxis->setLabel(tr("score"));
  m_plot->yAxis2->setVisible(true);
  m_plot->yAxis2->setLabel(tr("wall time (s)"));
  m_plot->legend->setVisible(true);
  m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignHCenter);
  applyStyle();
  clear();
}

void QualityStepsChart::applyStyle() {
  styleStudioPlot(m_plot, font());
  m_title->setFont(scaledFont(font(), 1.0, true));
  m_title->setTextColor(colours::kText);
  m_plot->legend->setFont(font());
  m_plot->yAxis2->setLabelFont(m_plot->yAxis->labelFont());
  m_plot->yAxis2->setTickLabelFont(m_plot->yAxis->tickLabelFont());
  m_plot->yAxis2->setLabelColor(kTime);
  m_plot->yAxis2->setTickLabelColor(kTime);
}

void QualityStepsChart::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) {
    applyStyle();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  }
}

void QualityStepsChart::clear() {
  for (QCPGraph* graph : {m_ddimScore, m_ddpmScore, m_ddimSeconds, m_ddpmSeconds}) graph->data()->clear();
  m_plot->xAxis->setRange(5, 2000);
  m_plot->yAxis->setRange(0, 1);
  m_plot->yAxis2->setRange(0, 1);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void QualityStepsChart::setRows(const std::vector<QualityRow>& rows, const QString& scoreName) {
  clear();
  m_plot->yAxis->setLabel(scoreName);
  double low = INFINITY, high = -INFINITY, slowest = 0;
  int fewest = 1 << 30, most = 0;
  for (const QualityRow& row : rows) {
    const bool ddpm = row.sampler == QLatin1String("DDPM");
    (ddpm ? m_ddpmScore : m_ddimScore)->addData(row.steps, row.score);
    (ddpm ? m_ddpmSeconds : m_ddimSeconds)->addData(row.steps, row.seconds);
    if (std::isfinite(row.score)) {
      low = std::min(low, row.score);
      high = std::max(high, row.score);
    }
    slowest = std::max(slowest, row.seconds);
    fewest = std::min(fewest, row.steps);
    most = std::max(most, row.steps);
  }
  if (!rows.empty()) {
    m_plot->xAxis->setRange(std::max(0.5, fewest / 1.6), most * 1.6);
    const double span = std::max(high - low, std::abs(high) * 0.05 + 1e-12);
    m_plot->yAxis->setRange(std::min(0.0, low - 0.05 * span), high + 0.12 * span);
    m_plot->yAxis2->setRange(0, std::max(slowest, 1e-3) * 1.15);
  }
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ddpm::ui
