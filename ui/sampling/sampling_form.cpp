#include "ui/sampling/sampling_form.h"

#include "ui/sampling/class_guidance_controls.h"
#include "ui/sampling/classifier_guidance_controls.h"
#include "ui/sampling/sampler_options.h"
#include "ui/sampling/precision_box.h"
#include "ui/shared/compute_devices.h"
#include "ui/window/studio_options.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>

#include <algorithm>

namespace ddpm::ui {

namespace {

constexpr std::int64_t kMaxTrajectoryBytes = 256LL * 1024 * 1024;
constexpr int kDefaultImageSamples = 16;
constexpr int kDefaultPointSamples = 1000;

}  // namespace

SamplingForm::SamplingForm(QWidget* parent)
    : QWidget(parent),
      m_sampler(new QComboBox(this)),
      m_steps(new QSpinBox(this)),
      m_eta(new QDoubleSpinBox(this)),
      m_variance(new QComboBox(this)),
      m_clip(new QCheckBox(tr("Clip x̂₀ to [−1, 1]"), this)),
      m_seed(new QSpinBox(this)),
      m_samples(new QSpinBox(this)),
      m_precision(makePrecisionBox(this)),
      m_guidance(new ClassGuidanceControls(this)),
      m_classifierGuidance(new ClassifierGuidanceControls(this)),
      m_sample(new QPushButton(tr("Sample"), this)),
      m_stop(new QPushButton(tr("Stop"), this)) {
  build();
  layOut();
  connectControls();
  updateControls();
}

void SamplingForm::build() {
  m_sampler->setObjectName(QStringLiteral("samplingSampler"));
  addSamplerItems(m_sampler);
  m_steps->setRange(1, 1000);
  m_steps->setValue(kDefaultDdimSteps);
  m_steps->setToolTip(tr("Number of reverse steps K (all samplers but DDPM, which always takes T)"));
  m_eta->setRange(0.0, 1.0);
  m_eta->setSingleStep(0.1);
  m_eta->setDecimals(2);
  m_eta->setToolTip(tr("DDIM's η: 0 is deterministic, 1 is as noisy as DDPM with σₜ² = β̃ₜ"));
  m_variance->addItem(tr("σₜ² = βₜ"), false);
  m_variance->addItem(tr("σₜ² = β̃ₜ"), true);
  m_variance->setToolTip(tr("DDPM's reverse variance: βₜ (the paper's choice for x₀ ~ N(0, I)) or the "
                            "posterior's β̃ₜ (for a single x₀); both gave similar results in the paper"));
  m_clip->setChecked(m_imagesModel);
  m_clip->setToolTip(tr("Clamp the predicted x̂₀ to the data range and take the step's mean from it, as the "
                        "paper's code does for images"));
  m_seed->setRange(0, 999999999);
  m_seed->setToolTip(tr("One seed gives the same x_T and the same noise z at every step"));
  m_samples->setRange(1, kMaxImageSamples);
  m_samples->setValue(kDefaultImageSamples);
  m_samples->setToolTip(tr("How many samples to draw together"));
  m_sample->setObjectName(QStringLiteral("samplingStart"));
  m_sample->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_sample->setDefault(true);
  m_sample->setToolTip(tr("Draw x_T ~ N(0, I) and run the reverse process, recording every step"));
  m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  m_stop->setToolTip(tr("Stop sampling; the steps so far stay"));
  // Clicking a button leaves the focus where it was, so Space keeps playing and pausing.
  for (QPushButton* b : {m_sample, m_stop}) b->setFocusPolicy(Qt::TabFocus);
  m_precision->setObjectName(QStringLiteral("samplingPrecision"));
}

void SamplingForm::layOut() {
  // One row of settings; a conditional model's class and guidance go on a second row
  // (hidden, it takes no room), so the first still fits a 1280-pixel window.
  auto* rows = new QVBoxLayout(this);
  rows->setContentsMargins(12, 4, 12, 0);
  rows->setSpacing(4);
  auto* row = new QHBoxLayout;
  row->setSpacing(6);
  rows->addLayout(row);
  auto* guidanceRow = new QHBoxLayout;
  guidanceRow->setSpacing(6);
  guidanceRow->addWidget(new QLabel(tr("Precision"), this));
  guidanceRow->addWidget(m_precision);
  guidanceRow->addSpacing(12);
  guidanceRow->addWidget(m_guidance);
  guidanceRow->addWidget(m_classifierGuidance, 1);
  guidanceRow->addStretch(0);
  rows->addLayout(guidanceRow);
  auto label = [this](const QString& text) { return new QLabel(text, this); };
  row->addWidget(label(tr("Sampler")));
  row->addWidget(m_sampler);
  row->addSpacing(6);
  row->addWidget(label(tr("Steps")));
  row->addWidget(m_steps);
  row->addWidget(label(tr("η")));
  row->addWidget(m_eta);
  row->addWidget(m_variance);
  row->addWidget(m_clip);
  row->addSpacing(6);
  row->addWidget(label(tr("Seed")));
  row->addWidget(m_seed);
  row->addWidget(label(tr("Samples")));
  row->addWidget(m_samples);
  row->addStretch(1);
  row->addWidget(m_sample);
  row->addWidget(m_stop);
}

void SamplingForm::connectControls() {
  connect(m_sampler, qOverload<int>(&QComboBox::currentIndexChanged), this, &SamplingForm::updateControls);
  connect(m_sampler, qOverload<int>(&QComboBox::currentIndexChanged), this, &SamplingForm::changed);
  for (QComboBox* box : {m_variance, m_precision})
    connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, &SamplingForm::changed);
  for (QSpinBox* box : {m_steps, m_seed, m_samples}) connect(box, &QSpinBox::valueChanged, this, &SamplingForm::changed);
  connect(m_eta, &QDoubleSpinBox::valueChanged, this, &SamplingForm::changed);
  connect(m_clip, &QCheckBox::toggled, this, &SamplingForm::changed);
  connect(m_guidance, &ClassGuidanceControls::changed, this, &SamplingForm::changed);
  connect(m_classifierGuidance, &ClassifierGuidanceControls::changed, this, &SamplingForm::changed);
  connect(m_sample, &QPushButton::clicked, this, &SamplingForm::sampleRequested);
  connect(m_stop, &QPushButton::clicked, this, &SamplingForm::stopRequested);
}

SamplingSettings SamplingForm::settings() const {
  SamplingSettings s;
  s.sampler = static_cast<SamplingSettings::Sampler>(m_sampler->currentData().toInt());
  s.steps = m_steps->value();
  s.eta = m_eta->value();
  s.posteriorVariance = m_variance->currentData().toBool();
  s.clipX0 = m_clip->isChecked();
  s.seed = static_cast<quint64>(m_seed->value());
  s.samples = m_samples->value();
  s.classLabel = m_guidance->classLabel();
  s.guidance = m_guidance->weight();
  s.noisyClassifier = m_classifierGuidance->classifierPath();
  s.classifierClass = m_classifierGuidance->classLabel();
  s.classifierScale = m_classifierGuidance->scale();
  s.bf16 = bf16Chosen(m_precision);
  return s;
}

SamplingSettings SamplingForm::defaultChoice() const {
  SamplingSettings s = settings();
  s.sampler = SamplingSettings::Sampler::DDPM;
  s.steps = kDefaultDdimSteps;
  s.eta = 0.0;
  s.posteriorVariance = false;
  s.seed = 0;
  return s;
}

QString SamplingForm::applyOptions(const StudioOptions& options) {
  SamplingSettings s = settings();
  if (!options.sampler.isEmpty()) s.sampler = toSettingsSampler(sampler_kind_from_string(options.sampler.toStdString()));
  if (options.sampleSteps) {
    if (*options.sampleSteps > maxSteps())
      return tr("--sample-steps must be at most T = %1, got %2").arg(maxSteps()).arg(*options.sampleSteps);
    s.steps = *options.sampleSteps;
  }
  if (options.samples) {
    if (*options.samples > maxSamples())
      return tr("--samples must be at most %1 for this model, got %2").arg(maxSamples()).arg(*options.samples);
    s.samples = *options.samples;
  }
  if (options.seed) s.seed = *options.seed;
  if (options.eta) s.eta = *options.eta;
  if (!options.noisyClassifier.isEmpty()) {
    if (QString error = m_classifierGuidance->openClassifier(options.noisyClassifier); !error.isEmpty())
      return tr("--noisy-classifier: %1").arg(error);
    s.noisyClassifier = m_classifierGuidance->classifierPath();  // only these: s holds the options read so far
    s.classifierClass = m_classifierGuidance->classLabel();
    s.classifierScale = m_classifierGuidance->scale();
  }
  if (options.classLabel && !s.noisyClassifier.isEmpty()) {
    if (*options.classLabel >= m_classifierGuidance->classBox()->count())
      return tr("--class must be below %1 for this classifier, got %2")
          .arg(m_classifierGuidance->classBox()->count())
          .arg(*options.classLabel);
    s.classifierClass = *options.classLabel;
  } else if (options.classLabel) {
    if (*options.classLabel >= static_cast<int>(m_guidanceClasses))
      return m_guidanceClasses == 0 ? tr("--class needs a class-conditional model; this one has no classes")
                                    : tr("--class must be below %1 for this model, got %2")
                                          .arg(m_guidanceClasses)
                                          .arg(*options.classLabel);
    s.classLabel = *options.classLabel;
  }
  if (options.classifierScale) {
    if (s.noisyClassifier.isEmpty()) return tr("--classifier-scale needs a noise-aware classifier (--noisy-classifier)");
    s.classifierScale = *options.classifierScale;
  }
  if (options.guidance) {
    if (s.classLabel < 0) return tr("--guidance needs a class (--class)");
    s.guidance = *options.guidance;
  }
  if (!options.precision.isEmpty()) {
    s.bf16 = options.precision == QLatin1String("bf16");
    if (s.bf16 && !bf16SamplingUnavailableReason().isEmpty())
      return tr("--precision bf16: %1").arg(bf16SamplingUnavailableReason());
  }
  setSettings(s);
  return {};
}

void SamplingForm::setSettings(const SamplingSettings& s) {
  m_sampler->setCurrentIndex(std::max(0, m_sampler->findData(static_cast<int>(s.sampler))));
  m_steps->setValue(s.steps > 0 ? s.steps : m_steps->maximum());
  m_eta->setValue(s.eta);
  m_variance->setCurrentIndex(s.posteriorVariance ? 1 : 0);
  m_clip->setChecked(s.clipX0);
  m_seed->setValue(static_cast<int>(std::min<quint64>(s.seed, static_cast<quint64>(m_seed->maximum()))));
  m_samples->setValue(s.samples);
  m_guidance->setChoice(s.classLabel, s.guidance);
  if (!s.noisyClassifier.isEmpty() && m_classifierGuidance->classifierPath() != s.noisyClassifier)
    m_classifierGuidance->openClassifier(s.noisyClassifier);  // one that no longer fits stays unchosen
  m_classifierGuidance->setChoice(s.classifierClass, s.classifierScale);
  chooseBf16(m_precision, s.bf16);
  updateControls();
}

void SamplingForm::fitClasses(const std::vector<std::string>& names) {
  m_guidanceClasses = names.size();
  m_guidance->fitClasses(names);
}

void SamplingForm::fitClassifiers(std::shared_ptr<const CheckpointData> model) {
  m_classifierGuidance->fitModel(std::move(model));
}

void SamplingForm::fitModel(int T, const std::vector<std::int64_t>& sampleShape) {
  const bool images = sampleShape.size() == 3;
  m_steps->setMaximum(T);
  // A DDPM trajectory keeps 2 (T + 1) states: cap N so that it stays under kMaxTrajectoryBytes.
  std::int64_t values = 1;
  for (auto side : sampleShape) values *= std::max<std::int64_t>(1, side);
  const std::int64_t perSample = 2 * (T + 1) * values * (images ? 1 : static_cast<std::int64_t>(sizeof(float)));
  const int limit = static_cast<int>(
      std::clamp<std::int64_t>(kMaxTrajectoryBytes / perSample, 1, images ? kMaxImageSamples : kMaxPointSamples));
  if (images != m_imagesModel) {
    // Sensible defaults for the kind of data: a 4 × 4 grid with clipping, or a point cloud.
    m_imagesModel = images;
    m_samples->setMaximum(limit);
    m_samples->setValue(images ? kDefaultImageSamples : kDefaultPointSamples);
    m_clip->setChecked(images);
  }
  m_samples->setMaximum(limit);
  updateControls();
}

int SamplingForm::maxSteps() const {
  return m_steps->maximum();
}

int SamplingForm::maxSamples() const {
  return m_samples->maximum();
}

void SamplingForm::setRunState(bool modelLoaded, bool running) {
  m_loaded = modelLoaded;
  m_running = running;
  updateControls();
}

void SamplingForm::updateControls() {
  const auto sampler = static_cast<SamplingSettings::Sampler>(m_sampler->currentData().toInt());
  const bool skips = skipsSteps(sampler);
  m_steps->setEnabled(skips);
  if (!skips) m_steps->setToolTip(tr("DDPM takes all T = %1 steps; choose another sampler for fewer").arg(m_steps->maximum()));
  else m_steps->setToolTip(tr("Number of %1 steps K, 1 … T = %2").arg(samplerName(sampler)).arg(m_steps->maximum()));
  m_eta->setEnabled(sampler == SamplingSettings::Sampler::DDIM);
  m_variance->setEnabled(sampler == SamplingSettings::Sampler::DDPM);
  m_sample->setEnabled(m_loaded);
  m_sample->setText(m_running ? tr("Restart") : tr("Sample"));
  m_stop->setEnabled(m_running);
}

}  // namespace ddpm::ui
