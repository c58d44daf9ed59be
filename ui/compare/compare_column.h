#pragma once

#include "ui/sampling/sampling_settings.h"

#include <QGroupBox>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class CheckpointPicker;
class ClassGuidanceControls;
class CurrentModel;

/// One side (A or B) of an A/B comparison: its model (CheckpointPicker; the schedule
/// comes with the checkpoint) and its sampler: DDPM with σ_t² = β_t or β̃_t, or DDIM with
/// K steps and η, whether x̂0 is clipped and the network's precision (float32 against bf16,
/// side by side); for a class-conditional model its class and guidance w (the same seed at
/// two values of w, side by side). The seed and the number of samples are
/// shared by both sides and set elsewhere.
class CompareColumn : public QGroupBox {
  Q_OBJECT

 public:
  CompareColumn(const QString& title, QRgb colour, CurrentModel* model, QWidget* parent = nullptr);

  CheckpointPicker* picker() const { return m_picker; }
  std::shared_ptr<const CheckpointData> checkpoint() const;
  /// The sampler settings (seed and samples left at their defaults).
  SamplingSettings settings() const;
  void setSettings(const SamplingSettings& settings);
  /// "DDPM, 1000 steps, σ² = β" or "DDIM, 50 steps, η = 0".
  QString samplerText() const;
  ClassGuidanceControls* guidanceControls() const { return m_guidance; }
  QComboBox* precisionBox() const { return m_precision; }

 signals:
  void changed();

 private:
  void updateEnabled();

  CheckpointPicker* m_picker;
  QComboBox* m_sampler;
  QSpinBox* m_steps;
  QDoubleSpinBox* m_eta;
  QComboBox* m_variance;
  QCheckBox* m_clip;
  QComboBox* m_precision;
  ClassGuidanceControls* m_guidance;
};

}  // namespace ddpm::ui
