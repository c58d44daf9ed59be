#include "ui/compare/compare_column.h"

#include "ui/compare/checkpoint_picker.h"

#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>

namespace ddpm::ui {

CompareColumn::CompareColumn(const QString& title, QRgb colour, CurrentModel* model, QWidget* parent)
    : QGroupBox(title, parent),
      m_picker(new CheckpointPicker(model, this)),
      m_sampler(new QComboBox(this)),
      m_steps(new QSpinBox(this)),
      m_eta(new QDoubleSpinBox(this)),
      m_variance(new QComboBox(this)),
      m_clip(new QCheckBox(tr("Clip x̂₀ to [−1, 1]"), this)) {
  setStyleSheet(QStringLiteral("QGroupBox { font-weight: bold; color: %1; }").arg(QColor(colour).name()));
  m_sampler->addItem(tr("DDPM (Algorithm 2)"), static_cast<int>(SamplingSettings::Sampler::DDPM));
  m_sampler->addItem(tr("DDIM (Song et al.)"), static_cast<int>(SamplingSettings::Sampler::DDIM));
  m_steps->setRange(1, 1000);
  m_steps->setValue(50);
  m_steps->setToolTip(tr("Number of reverse steps K (DDIM; DDPM always takes T)"));
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

  // Clipping suits images in [−1, 1], not standardised 2D points.
  auto clipForModel = [this] {
    const auto shape = m_picker->sampleShape();
    m_clip->setChecked(!(shape.size() == 1 && shape[0] == 2));
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
  updateEnabled();
}

std::shared_ptr<const CheckpointData> CompareColumn::checkpoint() const { return m_picker->checkpoint(); }

SamplingSettings CompareColumn::settings() const {
  SamplingSettings s;
  s.sampler = static_cast<SamplingSettings::Sampler>(m_sampler->currentData().toInt());
  s.steps = s.sampler == SamplingSettings::Sampler::DDIM ? m_steps->value() : 0;
  s.eta = m_eta->value();
  s.posteriorVariance = m_variance->currentData().toBool();
  s.clipX0 = m_clip->isChecked();
  return s;
}

void CompareColumn::setSettings(const SamplingSettings& s) {
  m_sampler->setCurrentIndex(s.sampler == SamplingSettings::Sampler::DDIM ? 1 : 0);
  if (s.steps > 0) m_steps->setValue(s.steps);
  m_eta->setValue(s.eta);
  m_variance->setCurrentIndex(s.posteriorVariance ? 1 : 0);
  m_clip->setChecked(s.clipX0);
}

QString CompareColumn::samplerText() const {
  const SamplingSettings s = settings();
  if (s.sampler == SamplingSettings::Sampler::DDIM)
    return tr("DDIM, %1 steps, η = %2").arg(s.steps).arg(QLocale().toString(s.eta, 'g', 3));
  return tr("DDPM, σₜ² = %1").arg(s.posteriorVariance ? tr("β̃ₜ") : tr("βₜ"));
}

void CompareColumn::updateEnabled() {
  const bool ddim = m_sampler->currentData().toInt() == static_cast<int>(SamplingSettings::Sampler::DDIM);
  m_steps->setEnabled(ddim);
  m_eta->setEnabled(ddim);
  m_variance->setEnabled(!ddim);
}

}  // namespace ddpm::ui
