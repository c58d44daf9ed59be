#include "core/schedule/noise_schedule.h"
#include "core/schedule/schedule_table.h"

#include "ui/schedule/schedule_view.h"

#include "ui/shared/save_dialog.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_icons.h"
#include "ui/shared/studio_style.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/schedule/schedule_chart.h"
#include "ui/schedule/schedule_editor.h"
#include "ui/schedule/schedule_readout.h"
#include "ui/shared/timestep_bar.h"

#include <QCheckBox>
#include <QMessageBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QShowEvent>
#include <QVBoxLayout>

#include <cmath>

namespace ddpm::ui {

ScheduleView::ScheduleView(ScheduleModel* schedule, TimestepCursor* cursor, Playback* playback, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_compareModel(new ScheduleModel(this)),
      m_editor(new ScheduleEditor(schedule, this)),
      m_compareEditor(nullptr),
      m_compareBox(new QCheckBox(tr("Compare with a second schedule"), this)),
      m_compareGroup(new QGroupBox(tr("Second schedule (dashed)"), this)),
      m_chart(new ScheduleChart(this)),
      m_readout(new ScheduleReadout(this)),
      m_logScale(new QCheckBox(tr("Log scale for βₜ and β̃ₜ"), this)),
      m_bar(new TimestepBar(cursor, playback, this)),
      m_retrain(new QPushButton(tr("Retrain with this schedule"), this)) {
  ScheduleSpec cosine;
  cosine.kind = ScheduleKind::Cosine;
  m_compareModel->trySetSpec(cosine);
  m_compareEditor = new ScheduleEditor(m_compareModel, this);

  // Left column: what the schedule is, what it is compared with, what is plotted.
  auto* scheduleGroup = new QGroupBox(tr("Schedule"), this);
  (new QVBoxLayout(scheduleGroup))->addWidget(m_editor);

  m_compareBox->setObjectName(QStringLiteral("compareBox"));
  m_compareBox->setToolTip(tr("Overlay a second schedule, drawn dashed, e.g. linear against cosine"));
  m_compareGroup->setObjectName(QStringLiteral("compareGroup"));
  (new QVBoxLayout(m_compareGroup))->addWidget(m_compareEditor);
  m_compareGroup->setVisible(false);

  auto* seriesGroup = new QGroupBox(tr("Series"), this);
  auto* seriesLayout = new QVBoxLayout(seriesGroup);
  seriesLayout->addWidget(m_readout);
  seriesLayout->addWidget(m_logScale);

  auto* exportChart = new QPushButton(tr("Export chart…"), this);
  auto* exportTable = new QPushButton(tr("Export table (CSV)…"), this);
  exportChart->setToolTip(tr("Save the chart as a PNG picture"));
  exportTable->setToolTip(tr("Save every column of the schedule, one row per t (as `ddpm schedule` writes it)"));
  auto* exportRow = new QHBoxLayout;
  exportRow->addWidget(exportChart);
  exportRow->addWidget(exportTable);

  m_retrain->setObjectName(QStringLiteral("retrainButton"));
  m_retrain->setToolTip(tr("Open the Training view with this schedule and the current data and model filled in"));

  auto* side = new QWidget(this);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(10, 10, 10, 10);
  sideLayout->setSpacing(10);
  sideLayout->addWidget(scheduleGroup);
  sideLayout->addWidget(seriesGroup);
  sideLayout->addLayout(exportRow);
  sideLayout->addWidget(m_retrain);
  sideLayout->addWidget(m_compareBox);
  sideLayout->addWidget(m_compareGroup);
  sideLayout->addStretch(1);
  QScrollArea* scroll = sideScrollArea(side, 460, this);

  auto* right = new QVBoxLayout;
  right->setContentsMargins(0, 8, 8, 0);
  right->addWidget(m_chart, 1);
  auto* columns = new QHBoxLayout;
  columns->setContentsMargins(0, 0, 0, 0);
  columns->setSpacing(0);
  columns->addWidget(scroll);
  columns->addLayout(right, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(columns, 1);
  layout->addWidget(m_bar);

  connect(schedule, &ScheduleModel::scheduleChanged, this, &ScheduleView::onScheduleChanged);
  connect(m_compareModel, &ScheduleModel::scheduleChanged, this, &ScheduleView::onCompareChanged);
  connect(cursor, &TimestepCursor::tChanged, this, &ScheduleView::onCursorMoved);
  connect(m_compareBox, &QCheckBox::toggled, this, &ScheduleView::setCompareEnabled);
  connect(m_readout, &ScheduleReadout::seriesToggled, m_chart, &ScheduleChart::setSeriesVisible);
  connect(m_logScale, &QCheckBox::toggled, m_chart, &ScheduleChart::setLogVariances);
  connect(m_logScale, &QCheckBox::clicked, this, [this] { m_logScaleChosen = true; });
  connect(m_chart, &ScheduleChart::tRequested, cursor, &TimestepCursor::setT);
  connect(exportChart, &QPushButton::clicked, this, &ScheduleView::exportChartInteractive);
  connect(exportTable, &QPushButton::clicked, this, &ScheduleView::exportTableInteractive);
  connect(m_retrain, &QPushButton::clicked, this, &ScheduleView::retrainRequested);
  connect(m_editor, &ScheduleEditor::betasFileLoaded, this, [this](const QString& path) {
    emit statusMessage(tr("Custom β schedule read from %1").arg(path));
  });

  m_chart->setSchedule(schedule->sharedSchedule());
  chooseVarianceScale();
  m_chart->setCursorT(cursor->t());
  m_readout->setValues(schedule->schedule(), nullptr, cursor->t());
}

ScheduleView::~ScheduleView() = default;

QIcon ScheduleView::icon() const {
  return scheduleViewIcon();
}

void ScheduleView::showEvent(QShowEvent* event) {
  StudioView::showEvent(event);
  if (m_readoutDirty) onCursorMoved();
}

void ScheduleView::onScheduleChanged() {
  m_chart->setSchedule(m_schedule->sharedSchedule());
  chooseVarianceScale();
  onCursorMoved();
}

void ScheduleView::onCompareChanged() {
  if (compareEnabled()) m_chart->setCompare(m_compareModel->sharedSchedule());
  chooseVarianceScale();
  onCursorMoved();
}

void ScheduleView::chooseVarianceScale() {
  // Until the user picks a scale: logarithmic when the βs shown span more than three
  // decades (the cosine schedule's last β is 0.999, its first 4×10⁻⁵), where a linear
  // axis would flatten everything but the last steps.
  if (m_logScaleChosen) return;
  double low = 1.0, high = 0.0;
  auto scan = [&](const NoiseSchedule& s) {
    for (double b : s.beta) {
      low = std::min(low, b);
      high = std::max(high, b);
    }
  };
  scan(m_schedule->schedule());
  if (compareEnabled()) scan(m_compareModel->schedule());
  m_logScale->setChecked(high / low > 1000.0);
}

void ScheduleView::setCompareEnabled(bool enabled) {
  if (m_compareBox->isChecked() != enabled) m_compareBox->setChecked(enabled);  // re-enters via toggled
  m_compareGroup->setVisible(enabled);
  m_chart->setCompare(enabled ? m_compareModel->sharedSchedule() : nullptr);
  chooseVarianceScale();
  onCursorMoved();
}

bool ScheduleView::compareEnabled() const {
  return m_compareBox->isChecked();
}

void ScheduleView::onCursorMoved() {
  // The chart's cursor is cheap (one overlay layer); the read-out waits until visible.
  m_chart->setCursorT(m_cursor->t());
  if (isVisible()) {
    m_readout->setValues(m_schedule->schedule(), compareEnabled() ? &m_compareModel->schedule() : nullptr,
                         m_cursor->t());
    m_readoutDirty = false;
  } else {
    m_readoutDirty = true;
  }
  emit formulaChanged();
}

QString ScheduleView::formulaHtml() const {
  const NoiseSchedule& s = m_schedule->schedule();
  const int t = std::min<int>(m_cursor->t(), static_cast<int>(s.steps()) - 1);
  const auto i = static_cast<std::size_t>(t);
  auto n = [](double v) { return formatNumber(v); };
  const QString row = QStringLiteral("<td style='padding:2px 18px 2px 0'>%1</td>");
  QString html;
  html += QStringLiteral("<div style='font-size:large'><b>%1</b> <span style='color:%2'>%3</span></div>")
              .arg(tr("Noise schedule at t = %1").arg(t), colours::kMutedText.name(),
                   tr("(paper step %1 of %2) · %3").arg(t + 1).arg(s.steps()).arg(m_schedule->describe().toHtmlEscaped()));
  html += QStringLiteral("<table style='font-size:large; margin-top:6px'><tr>");
  html += row.arg(QStringLiteral("βₜ = <b>%1</b>").arg(n(s.beta[i])));
  html += row.arg(QStringLiteral("αₜ = 1 − βₜ = <b>%1</b>").arg(formatNumber(s.alpha[i], 6)));
  html += row.arg(QStringLiteral("ᾱₜ = ∏<sub>s≤t</sub> αₛ = <b>%1</b>").arg(n(s.alpha_bar[i])));
  html += QStringLiteral("</tr><tr>");
  html += row.arg(QStringLiteral("√ᾱₜ = <b>%1</b>").arg(n(s.sqrt_alpha_bar[i])));
  html += row.arg(QStringLiteral("√(1 − ᾱₜ) = <b>%1</b>").arg(n(s.sqrt_one_minus_alpha_bar[i])));
  html += row.arg(QStringLiteral("SNR = ᾱₜ / (1 − ᾱₜ) = <b>%1</b> &nbsp;(log SNR = %2)")
                      .arg(n(s.snr[i]), n(seriesValue(s, ScheduleSeries::LogSnr, t))));
  html += QStringLiteral("</tr><tr>");
  html += QStringLiteral("<td colspan='3' style='padding-top:2px'>β̃ₜ = (1 − ᾱₜ₋₁) / (1 − ᾱₜ) · βₜ = "
                         "(1 − %1) / (1 − %2) · %3 = <b>%4</b> &nbsp;<span style='color:%5'>(eq. 7)</span></td>")
              .arg(n(s.alpha_bar_prev[i]), n(s.alpha_bar[i]), n(s.beta[i]), n(s.posterior_variance[i]),
                   colours::kMutedText.name());
  html += QStringLiteral("</tr></table>");
  return html;
}

bool ScheduleView::exportImage(const QString& path, QString* error) {
  return m_chart->savePng(path, error);
}

bool ScheduleView::exportTable(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = tr("cannot write '%1': %2").arg(path, file.errorString());
    return false;
  }
  const std::string csv = schedule_to_csv(m_schedule->schedule());
  file.write(csv.data(), static_cast<qint64>(csv.size()));
  if (!file.commit()) {
    if (error) *error = tr("cannot write '%1': %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

void ScheduleView::exportChartInteractive() {
  const QString path = askSavePath(this, tr("Export chart"), exportImageName(), SavedFile::Png);
  if (path.isEmpty()) return;
  QString error;
  if (exportImage(path, &error)) emit statusMessage(tr("Chart saved to %1").arg(path));
  else QMessageBox::warning(this, tr("Chart not saved"), error);  // a failure must not vanish with the status bar
}

void ScheduleView::exportTableInteractive() {
  const QString path = askSavePath(this, tr("Export schedule table"), QStringLiteral("schedule.csv"), SavedFile::Csv);
  if (path.isEmpty()) return;
  QString error;
  if (exportTable(path, &error)) emit statusMessage(tr("Schedule table saved to %1").arg(path));
  else QMessageBox::warning(this, tr("Table not saved"), error);
}

void ScheduleView::saveState(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("scheduleView"));
  for (ScheduleSeries s : allScheduleSeries())
    settings.setValue(QStringLiteral("show_") + seriesKey(s), m_chart->isSeriesVisible(s));
  if (m_logScaleChosen) settings.setValue(QStringLiteral("logVariances"), m_logScale->isChecked());
  else settings.remove(QStringLiteral("logVariances"));
  settings.setValue(QStringLiteral("compare"), compareEnabled());
  ScheduleModel::saveSpec(settings, QStringLiteral("compareSchedule"), m_compareModel->spec());
  settings.endGroup();
}

void ScheduleView::restoreState(QSettings& settings) {
  settings.beginGroup(QStringLiteral("scheduleView"));
  for (ScheduleSeries s : allScheduleSeries())
    m_readout->setSeriesChecked(s, settings.value(QStringLiteral("show_") + seriesKey(s), true).toBool());
  m_logScaleChosen = settings.contains(QStringLiteral("logVariances"));
  if (m_logScaleChosen) m_logScale->setChecked(settings.value(QStringLiteral("logVariances")).toBool());
  ScheduleSpec spec;
  if (ScheduleModel::loadSpec(settings, QStringLiteral("compareSchedule"), &spec, nullptr))
    m_compareModel->trySetSpec(spec);
  setCompareEnabled(settings.value(QStringLiteral("compare"), false).toBool());
  settings.endGroup();
  chooseVarianceScale();
}

}  // namespace ddpm::ui
