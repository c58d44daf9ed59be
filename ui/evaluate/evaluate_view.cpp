#include "core/checkpoint/checkpoint.h"
#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"
#include "ui/sampling/sampler_options.h"

#include "ui/evaluate/evaluate_view.h"

#include "ui/shared/save_dialog.h"
#include "ui/shared/current_model.h"
#include "ui/evaluate/bound_summary.h"
#include "ui/evaluate/evaluate_session.h"
#include "ui/evaluate/quality_table.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/png_export.h"
#include "ui/window/studio_options.h"
#include "ui/shared/studio_style.h"
#include "ui/evaluate/bits_per_t_chart.h"
#include "ui/evaluate/quality_steps_chart.h"
#include "ui/evaluate/rate_distortion_page.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ddpm::ui {

namespace {

QPixmap drawEvaluateIcon(int side) {
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const double s = side / 48.0;
  // Bars falling with t (the bits per term), the first one tall: where the bits go.
  const double heights[] = {30, 12, 8, 6, 4.5, 3.5};
  p.setPen(Qt::NoPen);
  for (int i = 0; i < 6; ++i) {
    p.setBrush(i == 0 ? QColor(0xe6, 0x9f, 0x00) : QColor(0x56, 0xb4, 0xe9));
    p.drawRect(QRectF((8 + i * 6) * s, (42 - heights[i]) * s, 4.6 * s, heights[i] * s));
  }
  p.setPen(QPen(QColor(0xe5, 0xe9, 0xf0), 2 * s, Qt::SolidLine, Qt::RoundCap));
  p.drawLine(QPointF(5 * s, 43 * s), QPointF(44 * s, 43 * s));
  p.drawLine(QPointF(5 * s, 5 * s), QPointF(5 * s, 43 * s));
  return pixmap;
}

QSpinBox* spin(QWidget* parent, int low, int high, int value) {
  auto* box = new QSpinBox(parent);
  box->setRange(low, high);
  box->setValue(value);
  box->setGroupSeparatorShown(true);
  return box;
}

}  // namespace

EvaluateView::EvaluateView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_model(model),
      m_session(new EvaluateSession(this)),
      m_modelLabel(new QLabel(this)),
      m_boundData(new QComboBox(this)),
      m_examples(spin(this, 1, 100000, 64)),
      m_termsMode(new QComboBox(this)),
      m_terms(spin(this, 2, 100000, 50)),
      m_variance(new QComboBox(this)),
      m_logScale(new QCheckBox(tr("Log scale"), this)),
      m_runBound(new QPushButton(tr("Evaluate the bound"), this)),
      m_samples(spin(this, 2, 100000, 2000)),
      m_steps(new QLineEdit(QStringLiteral("10, 20, 50, 100, T"), this)),
      m_ddpm(new QCheckBox(tr("Also DDPM with all T steps"), this)),
      m_seed(spin(this, 0, 1000000, 0)),
      m_runQuality(new QPushButton(tr("Sample and score"), this)),
      m_exportCsv(new QPushButton(tr("Export CSV…"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_pages(new QTabWidget(this)),
      m_bitsChart(new BitsPerTChart(this)),
      m_boundText(new QLabel(this)),
      m_qualityChart(new QualityStepsChart(this)),
      m_table(new QTableWidget(0, 6, this)),
      m_rateDistortion(new RateDistortionPage(this)) {
  using S = SamplingSettings::Sampler;
  for (const S sampler : {S::DDIM, S::DPMSolverPP, S::Euler, S::Heun})
    m_samplerBoxes.emplace_back(sampler, new QCheckBox(samplerName(sampler), this));
  setUpControls();
  layOut();
  connectSignals();
  m_boundText->setText(tr("Evaluate the bound to see how many bits/dim each step of the chain costs."));
  setStatus(tr("Choose a panel's settings and run it; long runs can be cancelled."));
  onModelChanged();
}

void EvaluateView::setUpControls() {
  m_modelLabel->setWordWrap(true);
  m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_boundData->addItem(tr("the model's own (test split)"), QString());
  for (const char* spec : {"fashion-mnist", "moons", "swissroll", "gaussians8", "circles"})
    m_boundData->addItem(QString::fromLatin1(spec), QString::fromLatin1(spec));
  m_boundData->setEditable(true);
  m_boundData->setToolTip(tr("Test data to score: a data SPEC such as fashion-mnist, moons or csv:FILE"));
  m_examples->setToolTip(tr("Test samples the bound is averaged over (chosen at random with the seed)"));
  m_termsMode->addItem(tr("All T terms (exact sum)"));
  m_termsMode->addItem(tr("Stratified sample of terms"));
  m_terms->setToolTip(tr("L_0 plus one random t from each of this many − 1 equal strata of 1..T−1 (unbiased)"));
  m_terms->setEnabled(false);
  m_variance->addItem(tr("σ_t² = β_t"));
  m_variance->addItem(tr("σ_t² = β̃_t (posterior)"));
  m_logScale->setChecked(true);
  m_samples->setToolTip(tr("Samples per run (2D: 2,000; images: 256 is what `ddpm score` uses)"));
  m_steps->setToolTip(tr("Step counts K for each ticked sampler, separated by commas; T stands for all steps"));
  m_ddpm->setChecked(true);
  for (const auto& [sampler, box] : m_samplerBoxes) {
    box->setObjectName(QStringLiteral("qualitySampler_") + QString::fromStdString(to_string(toSamplerKind(sampler))));
    box->setChecked(sampler == SamplingSettings::Sampler::DDIM);
    box->setToolTip(sampler == SamplingSettings::Sampler::Heun
                        ? tr("Heun at each K: 2K − 1 network evaluations, so it is plotted at that NFE")
                        : tr("%1 at each K: K network evaluations").arg(samplerName(sampler)));
  }
  m_seed->setToolTip(tr("One seed for every run: the same x_T for DDPM and for each sampler and K; also the bound's examples"));
  m_runBound->setObjectName(QStringLiteral("evaluateBound"));
  m_runQuality->setObjectName(QStringLiteral("evaluateQuality"));
  m_cancel->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_boundText->setWordWrap(true);
  m_boundText->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_table->setHorizontalHeaderLabels(
      {tr("sampler"), tr("steps"), tr("NFE"), tr("score"), tr("Gaussian baseline"), tr("wall time (s)")});
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  m_table->verticalHeader()->setVisible(false);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  // Room for DDPM and five DDIM runs without scrolling.
  m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + 6 * (fontMetrics().height() + 8) + 6);
}

void EvaluateView::layOut() {
  // Left: the two panels' settings.
  auto* boundBox = new QGroupBox(tr("Where do the bits go?"), this);
  auto* boundForm = new QFormLayout(boundBox);
  boundForm->addRow(tr("Data"), m_boundData);
  boundForm->addRow(tr("Examples"), m_examples);
  boundForm->addRow(tr("Terms"), m_termsMode);
  boundForm->addRow(tr("Stratified terms"), m_terms);
  boundForm->addRow(tr("Variance of p_θ"), m_variance);
  boundForm->addRow(m_logScale);
  boundForm->addRow(m_runBound);
  auto* qualityBox = new QGroupBox(tr("Quality against NFE"), this);
  auto* qualityForm = new QFormLayout(qualityBox);
  qualityForm->addRow(tr("Samples N"), m_samples);
  qualityForm->addRow(tr("Steps K"), m_steps);
  auto* samplers = new QGridLayout;
  for (std::size_t i = 0; i < m_samplerBoxes.size(); ++i)
    samplers->addWidget(m_samplerBoxes[i].second, static_cast<int>(i / 2), static_cast<int>(i % 2));
  qualityForm->addRow(tr("Samplers"), samplers);
  qualityForm->addRow(m_ddpm);
  qualityForm->addRow(m_runQuality);
  qualityForm->addRow(m_exportCsv);
  auto* shared = new QFormLayout;
  shared->addRow(tr("Seed"), m_seed);
  auto* side = new QWidget(this);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(10, 10, 10, 10);
  sideLayout->setSpacing(8);
  sideLayout->addWidget(m_modelLabel);
  sideLayout->addLayout(shared);
  sideLayout->addWidget(boundBox);
  sideLayout->addWidget(qualityBox);
  sideLayout->addStretch(1);
  QScrollArea* scroll = sideScrollArea(side, 440, this);

  // Right: progress, then one page per panel.
  auto* bitsPage = new QWidget(this);
  auto* bitsLayout = new QVBoxLayout(bitsPage);
  bitsLayout->setContentsMargins(0, 4, 0, 0);
  bitsLayout->addWidget(m_bitsChart, 1);
  bitsLayout->addWidget(m_boundText);
  auto* qualityPage = new QWidget(this);
  auto* qualityLayout = new QVBoxLayout(qualityPage);
  qualityLayout->setContentsMargins(0, 4, 0, 0);
  qualityLayout->addWidget(m_qualityChart, 1);
  qualityLayout->addWidget(m_table);
  m_pages->setDocumentMode(true);
  m_pages->addTab(bitsPage, tr("Bits per t"));
  m_pages->addTab(qualityPage, tr("Quality against NFE"));
  m_pages->addTab(m_rateDistortion, tr("Rate and distortion"));
  auto* progressRow = new QHBoxLayout;
  progressRow->addWidget(m_progress, 1);
  progressRow->addWidget(m_cancel);
  auto* right = new QVBoxLayout;
  right->setContentsMargins(4, 10, 10, 8);
  right->addLayout(progressRow);
  right->addWidget(m_status);
  right->addWidget(m_pages, 1);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(scroll);
  layout->addLayout(right, 1);
}

void EvaluateView::connectSignals() {
  connect(m_termsMode, &QComboBox::currentIndexChanged, this, [this](int index) { m_terms->setEnabled(index == 1); });
  connect(m_logScale, &QCheckBox::toggled, m_bitsChart, &BitsPerTChart::setLogScale);
  connect(m_runBound, &QPushButton::clicked, this, &EvaluateView::runBound);
  connect(m_runQuality, &QPushButton::clicked, this, &EvaluateView::runQuality);
  connect(m_cancel, &QPushButton::clicked, this, &EvaluateView::cancel);
  connect(m_exportCsv, &QPushButton::clicked, this, &EvaluateView::exportCsvInteractive);
  connect(m_rateDistortion, &RateDistortionPage::exportRequested, this, [this] {
    const QString path = askSavePath(this, tr("Export the rate–distortion curve"), QStringLiteral("rate_distortion.csv"),
                                     SavedFile::Csv, {m_model->path()});
    if (path.isEmpty()) return;
    QString error;
    if (!m_rateDistortion->exportCsv(path, &error)) emit errorReported(tr("Curve not exported"), error);
    else emit statusMessage(tr("Wrote %1").arg(path));
  });
  connect(m_session, &EvaluateSession::progress, this, [this](qint64 done, qint64 total, const QString& text) {
    m_progress->setRange(0, static_cast<int>(std::min<qint64>(total, 1'000'000'000)));
    m_progress->setValue(static_cast<int>(std::min<qint64>(done, 1'000'000'000)));
    setStatus(text);
  });
  connect(m_session, &EvaluateSession::boundFinished, this, [this](const BoundResult& result) {
    m_bound = std::make_unique<BoundResult>(result);
    m_bitsChart->setResult(result);
    m_boundText->setText(boundSummaryText(result));
    if (!result.rateDistortion.empty())
      m_rateDistortion->setCurve(result.rateDistortion, result.dataSpec, result.examples);
    else
      m_rateDistortion->clear(result.discretised ? tr("The rate–distortion curve needs every step's term: evaluate "
                                                       "the bound with all T terms.")
                                                 : tr("The rate–distortion curve measures images in 8-bit levels; "
                                                      "2D points have no such scale."));
    emit formulaChanged();
    emit boundReady();
  });
  connect(m_session, &EvaluateSession::qualityRow, this, &EvaluateView::onQualityRow);
  connect(m_session, &EvaluateSession::finished, this,
          [this](EvaluateSession::Kind, bool cancelled) { onFinished(cancelled); });
  connect(m_session, &EvaluateSession::failed, this,
          [this](EvaluateSession::Kind, const QString& message) { onFailed(message); });
  connect(m_session, &EvaluateSession::runningChanged, this, &EvaluateView::updateButtons);
  connect(m_model, &CurrentModel::changed, this, &EvaluateView::onModelChanged);
}

EvaluateView::~EvaluateView() {
  m_session->disconnect(this);  // no signal reaches a half-destroyed view; the session joins its thread
}

QIcon EvaluateView::icon() const {
  QIcon icon;
  for (int side : {16, 24, 32, 48, 64, 96}) icon.addPixmap(drawEvaluateIcon(side));
  return icon;
}

int EvaluateView::modelSteps() const {
  if (!m_model->isLoaded()) return 0;
  try {
    return static_cast<int>(m_model->data().schedule.timesteps());
  } catch (const std::exception&) {
    return 0;
  }
}

void EvaluateView::onModelChanged() {
  if (!m_model->isLoaded()) {
    m_modelLabel->setText(tr("<b>No model.</b> Open a checkpoint (File ▸ Open checkpoint…) or train one."));
  } else {
    m_modelLabel->setText(tr("<b>Model:</b> %1").arg(m_model->summary().toHtmlEscaped()));
    const bool points = m_model->data().sample_shape == std::vector<std::int64_t>{2};
    if (!m_kindKnown || points != m_modelIsPoints) {
      // Defaults that fit the kind: a few images are already slow on a CPU, points are cheap.
      m_examples->setValue(points ? 2000 : 64);
      m_samples->setValue(points ? 2000 : 256);
      m_modelIsPoints = points;
      m_kindKnown = true;
    }
    m_terms->setMaximum(std::max(2, modelSteps() - 1));
  }
  updateButtons();
}

BoundSettings EvaluateView::boundSettings() const {
  BoundSettings settings;
  const int index = m_boundData->currentIndex();
  const QString text = m_boundData->currentText().trimmed();
  settings.dataSpec = (index >= 0 && m_boundData->itemText(index) == text) ? m_boundData->itemData(index).toString() : text;
  settings.examples = m_examples->value();
  settings.terms = m_termsMode->currentIndex() == 1 ? m_terms->value() : 0;
  settings.posteriorVariance = m_variance->currentIndex() == 1;
  settings.seed = static_cast<quint64>(m_seed->value());
  return settings;
}

bool EvaluateView::qualitySettings(QualitySettings* settings, QString* error) const {
  QualitySettings out;
  const int T = modelSteps();
  if (T <= 0) {
    if (error) *error = tr("There is no model to sample: open a checkpoint first.");
    return false;
  }
  if (!parseStepList(m_steps->text(), T, &out.steps, error)) return false;
  out.ddpm = m_ddpm->isChecked();
  out.samplers.clear();
  for (const auto& [sampler, box] : m_samplerBoxes)
    if (box->isChecked()) out.samplers.push_back(sampler);
  if ((out.steps.empty() || out.samplers.empty()) && !out.ddpm) {
    if (error) *error = tr("Nothing to run: tick a sampler and give step counts K, or tick DDPM.");
    return false;
  }
  out.samples = m_samples->value();
  out.seed = static_cast<quint64>(m_seed->value());
  if (settings) *settings = out;
  return true;
}

QCheckBox* EvaluateView::samplerBox(SamplingSettings::Sampler sampler) const {
  for (const auto& [kind, box] : m_samplerBoxes)
    if (kind == sampler) return box;
  return nullptr;
}

QString EvaluateView::samplersText() const {
  QStringList names;
  for (const auto& [sampler, box] : m_samplerBoxes)
    if (box->isChecked()) names << QString::fromStdString(to_string(toSamplerKind(sampler)));
  return names.join(QLatin1Char(','));
}

QString EvaluateView::setSamplersFromText(const QString& text) {
  std::vector<SamplingSettings::Sampler> chosen;
  for (const QString& name : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    SamplingSettings::Sampler sampler{};
    try {
      sampler = toSettingsSampler(sampler_kind_from_string(name.trimmed().toLower().toStdString()));
    } catch (const Error&) {
      sampler = SamplingSettings::Sampler::DDPM;  // refused just below, with the name
    }
    if (!samplerBox(sampler))
      return tr("--eval-samplers takes ddim, dpm-solver++, euler and heun (DDPM: its own tick box), got '%1'")
          .arg(name.trimmed());
    chosen.push_back(sampler);
  }
  for (const auto& [sampler, box] : m_samplerBoxes)
    box->setChecked(std::find(chosen.begin(), chosen.end(), sampler) != chosen.end());
  return {};
}

bool EvaluateView::runBound() {
  if (!m_model->isLoaded()) {
    emit errorReported(tr("Nothing to evaluate"), tr("There is no model: open a checkpoint or train one first."));
    return false;
  }
  m_bound.reset();
  m_bitsChart->clear();
  m_boundText->setText(tr("Evaluating…"));
  showPage(0);
  m_progress->setRange(0, 0);
  setStatus(tr("Starting…"));
  m_session->startBound(std::make_shared<const CheckpointData>(m_model->data()), boundSettings());
  return true;
}

bool EvaluateView::runQuality() {
  QualitySettings settings;
  QString error;
  if (!qualitySettings(&settings, &error)) {
    setStatus(error, QStringLiteral("error"));
    emit errorReported(tr("Cannot sample and score"), error);
    return false;
  }
  m_rows.clear();
  m_table->setRowCount(0);
  m_qualityChart->clear();
  showPage(1);
  m_progress->setRange(0, 0);
  setStatus(tr("Starting…"));
  m_session->startQuality(std::make_shared<const CheckpointData>(m_model->data()), settings);
  return true;
}

void EvaluateView::cancel() {
  if (!m_session->isRunning()) return;
  m_session->cancel();
  setStatus(tr("Cancelling after the current network call…"));
}

bool EvaluateView::isRunning() const {
  return m_session->isRunning();
}

QString EvaluateView::applyOptions(const StudioOptions& options) {
  if (options.evalExamples) m_examples->setValue(*options.evalExamples);
  if (options.evalTerms) {
    m_termsMode->setCurrentIndex(*options.evalTerms > 0 ? 1 : 0);
    if (*options.evalTerms > 0) m_terms->setValue(*options.evalTerms);
  }
  if (!options.evalSteps.isEmpty()) m_steps->setText(options.evalSteps);
  if (!options.evalSamplers.isEmpty()) {
    const QString error = setSamplersFromText(options.evalSamplers);
    if (!error.isEmpty()) return error;
  }
  if (options.samples) m_samples->setValue(std::max(2, *options.samples));
  if (options.seed) m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(*options.seed, 1000000)));
  if (options.evaluate.isEmpty()) return {};
  if (!m_model->isLoaded()) return tr("--evaluate needs a model (--checkpoint FILE)");
  if (options.evaluate == QLatin1String("quality")) {
    QString error;
    if (!qualitySettings(nullptr, &error)) return error;
    runQuality();
  } else {
    runBound();
    if (options.evaluate == QLatin1String("rate-distortion")) showPage(2);  // the curve appears when the bound ends
  }
  return {};
}

void EvaluateView::showPage(int page) {
  m_pages->setCurrentIndex(page);
}

QString EvaluateView::scoreName() const {
  return m_modelIsPoints ? tr("energy distance to held-out points") : tr("Fréchet distance (classifier features)");
}

void EvaluateView::onQualityRow(const QualityRow& row) {
  m_rows.push_back(row);
  const int r = m_table->rowCount();
  m_table->insertRow(r);
  const QStringList cells = {row.sampler, QString::number(row.steps), QString::number(row.nfe), formatNumber(row.score, 4),
                             std::isfinite(row.baseline) ? formatNumber(row.baseline, 4) : QStringLiteral("—"),
                             formatNumber(row.seconds, 3)};
  for (int c = 0; c < cells.size(); ++c) {
    auto* item = new QTableWidgetItem(cells[c]);
    item->setTextAlignment(c == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
    m_table->setItem(r, c, item);
  }
  m_qualityChart->setRows(m_rows, scoreName());
  emit formulaChanged();
}

void EvaluateView::onFinished(bool cancelled) {
  m_progress->setRange(0, 1);
  m_progress->setValue(cancelled ? 0 : 1);
  if (cancelled) {
    setStatus(tr("Cancelled."));
    if (!m_bound) m_boundText->setText(tr("Cancelled: no result."));
  } else {
    setStatus(tr("Done."), QStringLiteral("ok"));
  }
  updateButtons();
  emit runEnded();
}

void EvaluateView::onFailed(const QString& message) {
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  const QString text = message.isEmpty() ? message : message.at(0).toUpper() + message.mid(1);
  setStatus(text, QStringLiteral("error"));
  if (!m_bound) m_boundText->setText({});
  updateButtons();
  emit errorReported(tr("Evaluation failed"), text);
  emit runEnded();
}

void EvaluateView::updateButtons() {
  const bool running = m_session->isRunning();
  const bool loaded = m_model->isLoaded();
  m_runBound->setEnabled(loaded);
  m_runQuality->setEnabled(loaded);
  m_cancel->setEnabled(running);
  m_exportCsv->setEnabled(!m_rows.empty());
}

void EvaluateView::setStatus(const QString& text, const QString& kind) {
  m_status->setText(text);
  setMessageKind(m_status, kind);
}

QString EvaluateView::statusText() const {
  return m_status->text();
}

QString EvaluateView::boundSummary() const {
  return m_bound ? boundSummaryText(*m_bound) : QString();
}

bool EvaluateView::exportQualityCsv(const QString& path, QString* error) const {
  QSaveFile file(path);
  const QByteArray bytes = qualityCsv(m_rows, m_modelIsPoints ? QStringLiteral("energy_distance")
                                                              : QStringLiteral("frechet_distance"))
                               .toUtf8();
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = tr("could not write '%1': %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

void EvaluateView::exportCsvInteractive() {
  const QString path = askSavePath(this, tr("Export the quality table"), QStringLiteral("quality_vs_steps.csv"),
                                   SavedFile::Csv, {m_model->path()});
  if (path.isEmpty()) return;
  QString error;
  if (!exportQualityCsv(path, &error)) emit errorReported(tr("Table not exported"), error);
  else emit statusMessage(tr("Wrote %1").arg(path));
}

QString EvaluateView::formulaHtml() const {
  QString html = QStringLiteral("<div style='font-size:large'><b>%1</b> <span style='color:%2'>%3</span></div>")
                     .arg(tr("The variational bound (eq. 5)"), colours::kMutedText.name(),
                          tr("· in bits/dim: nats / (D ln 2)"));
  html += QStringLiteral("<div style='font-size:large; margin-top:6px'>L = L<sub>T</sub> + Σ<sub>t&gt;1</sub> "
                         "L<sub>t−1</sub> + L<sub>0</sub>, &nbsp; L<sub>t−1</sub> = D<sub>KL</sub>(q(x<sub>t−1</sub> | "
                         "x<sub>t</sub>, x<sub>0</sub>) ‖ p<sub>θ</sub>(x<sub>t−1</sub> | x<sub>t</sub>)), &nbsp; "
                         "L<sub>0</sub> = −log p<sub>θ</sub>(x<sub>0</sub> | x<sub>1</sub>) "
                         "<span style='color:%1'>(eq. 5, 13)</span></div>")
              .arg(colours::kMutedText.name());
  if (m_bound) html += QStringLiteral("<div style='margin-top:4px'>%1</div>").arg(boundSummaryText(*m_bound).toHtmlEscaped());
  return html;
}

bool EvaluateView::exportImage(const QString& path, QString* error) {
  const int width = 1200, height = 520;
  QImage picture(width, 2 * height, QImage::Format_RGB32);
  picture.fill(Qt::white);
  QPainter painter(&picture);
  painter.drawPixmap(0, 0, m_bitsChart->plot()->toPixmap(width, height));
  painter.drawPixmap(0, height, m_qualityChart->plot()->toPixmap(width, height));
  painter.end();
  return writePng(picture, path, error);
}

void EvaluateView::saveState(QSettings& settings) const {
  settings.setValue(QStringLiteral("evaluateView/steps"), m_steps->text());
  settings.setValue(QStringLiteral("evaluateView/samplers"), samplersText());
  settings.setValue(QStringLiteral("evaluateView/logScale"), m_logScale->isChecked());
  settings.setValue(QStringLiteral("evaluateView/page"), m_pages->currentIndex());
}

void EvaluateView::restoreState(QSettings& settings) {
  m_steps->setText(settings.value(QStringLiteral("evaluateView/steps"), m_steps->text()).toString());
  const QString samplers = settings.value(QStringLiteral("evaluateView/samplers")).toString();
  if (!samplers.isEmpty() && !setSamplersFromText(samplers).isEmpty()) setSamplersFromText(QStringLiteral("ddim"));
  m_logScale->setChecked(settings.value(QStringLiteral("evaluateView/logScale"), true).toBool());
  m_pages->setCurrentIndex(settings.value(QStringLiteral("evaluateView/page"), 0).toInt());
}

}  // namespace ddpm::ui
