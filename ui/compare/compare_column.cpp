#include "ui/compare/compare_column.h"

#include "ui/compare/checkpoint_picker.h"
#include "core/checkpoint/checkpoint.h"
#include "ui/sampling/class_guidance_controls.h"
#include "ui/sampling/precision_box.h"
#include "ui/sampling/sampler_options.h"

#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>

#include <algorithm>

namespace ddpm::ui {

CompareColumn::CompareColumn(const QString& title, QRgb colour, CurrentModel* model, QWidget* parent)
    : QGroupBox(title, parent),
      m_picker(new CheckpointPicker(model, this)),
      m_sampler(new QComboBox(this)),
      m_steps(new QSpinBox(this)),
      m_eta(new QDoubleSpinBox(this)),
      m_variance(new QComboBox(this)),
      m_clip(new QCheckBox(tr("Clip x̂₀ to [−1, 1]"), this)),
      m_precision(makePrecisionBox(this)),
      m_guidance(new ClassGuidanceControls(this)) {
  setStyleSheet(QStringLiteral("QGroupBox { font-weight: bold; color: %1; }").arg(QColor(colour).name()));
  addSamplerItems(m_sampler);
  m_steps->setRange(1, 1000);
  m_steps->setValue(50);
  m_steps->setToolTip(tr("Number of reverse steps K (all samplers but DDPM, which always takes T)"));
  m_eta->setRange(0.0, 1.0);
  m_eta->setSingleStep(0.1);
  m_eta->setDecimals(2);
  m_eta->setToolTip(tr("DDIM's η: 0 is deterministic, 1 is as noisy as DDPM with σₜ² = β̃ₜ"));
  m_variance->addItem(tr("σₜ² = βₜ"), false);
  m_variance->addItem(tr("σₜ² = β̃ₜ"), true);
  m_variance->setToolTip(tr("DDPM's reverse variance"));
  m_clip->setToolTip(tr("Clamp the predicted x̂₀ to the data range, as the paper's code does for images; off for 2D "
                        "points, whose standardised coordinates go beyond ±1"));

  auto* form = new QFormLayout(this);
  form->setContentsMargins(8, 6, 8, 6);
  form->addRow(tr("Model"), m_picker);
  auto* samplerRow = new QHBoxLayout;
  samplerRow->addWidget(m_sampler);
  samplerRow->addWidget(m_variance);
  samplerRow->addStretch(1);
  form->addRow(tr("Sampler"), samplerRow);
  auto* stepsRow = new QHBoxLayout;
  stepsRow->addWidget(m_steps);
  stepsRow->addWidget(new QLabel(tr("η"), this));
  stepsRow->addWidget(m_eta);
  stepsRow->addWidget(m_clip);
  stepsRow->addStretch(1);
  form->addRow(tr("Steps K"), stepsRow);
  auto* precisionRow = new QHBoxLayout;
  precisionRow->addWidget(m_precision);
  precisionRow->addStretch(1);
  form->addRow(tr("Precision"), precisionRow);
  form->addRow(m_guidance);

  // Clipping suits images in [−1, 1], not standardised 2D points; a conditional model
  // shows its classes.
  auto clipForModel = [this] {
    const auto shape = m_picker->sampleShape();
    m_clip->setChecked(!(shape.size() == 1 && shape[0] == 2));
    const auto checkpoint = m_picker->checkpoint();
    m_guidance->fitClasses(checkpoint ? class_names_of(*checkpoint) : std::vector<std::string>{});
  };
  clipForModel();
  connect(m_picker, &CheckpointPicker::changed, this, [this, clipForModel] {
    clipForModel();
    emit changed();
  });
  connect(m_sampler, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    updateEnabled();
    emit changed();
  });
  connect(m_guidance, &ClassGuidanceControls::changed, this, &CompareColumn::changed);
  connect(m_precision, qOverload<int>(&QComboBox::currentIndexChanged), this, &CompareColumn::changed);
  updateEnabled();
}

std::shared_ptr<const CheckpointData> CompareColumn::checkpoint() const { return m_picker->checkpoint(); }

SamplingSettings CompareColumn::settings() const {
  SamplingSettings s;
  s.sampler = static_cast<SamplingSettings::Sampler>(m_sampler->currentData().toInt());
  s.steps = skipsSteps(s.sampler) ? m_steps->value() : 0;
  s.eta = m_eta->value();
  s.posteriorVariance = m_variance->currentData().toBool();
  s.clipX0 = m_clip->isChecked();
  s.classLabel = m_guidance->classLabel();
  s.guidance = m_guidance->weight();
  s.bf16 = bf16Chosen(m_precision);
  return s;
}

void CompareColumn::setSettings(const SamplingSettings& s) {
  m_sampler->setCurrentIndex(std::max(0, m_sampler->findData(static_cast<int>(s.sampler))));
  if (s.steps > 0) m_steps->setValue(s.steps);
  m_eta->setValue(s.eta);
  m_variance->setCurrentIndex(s.posteriorVariance ? 1 : 0);
  m_clip->setChecked(s.clipX0);
  m_guidance->setChoice(s.classLabel, s.guidance);
  chooseBf16(m_precision, s.bf16);
}

QString CompareColumn::samplerText() const {
  return samplerSummary(settings());
}

void CompareColumn::updateEnabled() {
  const auto sampler = static_cast<SamplingSettings::Sampler>(m_sampler->currentData().toInt());
  m_steps->setEnabled(skipsSteps(sampler));
  m_eta->setEnabled(sampler == SamplingSettings::Sampler::DDIM);
  m_variance->setEnabled(sampler == SamplingSettings::Sampler::DDPM);
}

}  // namespace ddpm::ui
