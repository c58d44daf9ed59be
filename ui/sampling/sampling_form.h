#pragma once

#include "ui/sampling/sampling_settings.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class ClassGuidanceControls;
class ClassifierGuidanceControls;
struct StudioOptions;

/// The Sampling view's row of run settings: sampler (DDPM's Algorithm 2 or DDIM), DDIM's
/// steps K and η, DDPM's reverse variance, clipping x̂₀, the seed and the number of
/// samples N, then Sample and Stop; below them the network's precision (float32 or bf16)
/// and a conditional model's class and guidance w. It reads and writes SamplingSettings, keeps what
/// applies to the chosen sampler enabled, and fits its limits to the model (fitModel):
/// K up to T, N up to what a recorded trajectory may hold.
class SamplingForm : public QWidget {
  Q_OBJECT

 public:
  /// The most samples of one run, images and 2D points.
  static constexpr int kMaxImageSamples = 64;
  static constexpr int kMaxPointSamples = 5000;
  /// DDIM's steps before anyone chooses.
  static constexpr int kDefaultDdimSteps = 50;

  explicit SamplingForm(QWidget* parent = nullptr);

  SamplingSettings settings() const;
  /// What a fresh start uses where no saved choice says otherwise: DDPM, σ²_t = β_t,
  /// DDIM's default steps, η 0, seed 0; the samples and clipping the controls show.
  SamplingSettings defaultChoice() const;
  /// The command line's sampler settings (--sampler, --sample-steps, --samples, --seed,
  /// --eta, --class, --guidance, --noisy-classifier, --classifier-scale, --precision) put in the controls; an error (and nothing changed) when a value is beyond
  /// what this model allows.
  QString applyOptions(const StudioOptions& options);
  /// Puts `settings` in the controls (clamped to their ranges; steps 0: all T).
  void setSettings(const SamplingSettings& settings);
  /// A model with T steps and samples of `sampleShape` (C × H × W images, or {2} for 2D
  /// points): K goes up to T and N up to what a trajectory of 2 (T + 1) states may keep;
  /// a model of the other kind gets that kind's defaults (16 clipped images, 1,000 points).
  void fitModel(int T, const std::vector<std::int64_t>& sampleShape);
  /// A class-conditional model's class names (none: the class and guidance controls hide).
  void fitClasses(const std::vector<std::string>& names);
  /// The model classifier guidance would steer (null: none): lists the classifiers that fit it.
  void fitClassifiers(std::shared_ptr<const CheckpointData> model);
  /// Whether the last model fitted makes images (else 2D points).
  bool imagesModel() const { return m_imagesModel; }
  /// T of the model fitted: the most steps K.
  int maxSteps() const;
  int maxSamples() const;
  /// Sample needs a model; while a run goes on it reads Restart, and Stop is enabled.
  void setRunState(bool modelLoaded, bool running);

  QComboBox* samplerBox() const { return m_sampler; }
  QSpinBox* stepsBox() const { return m_steps; }
  QSpinBox* seedBox() const { return m_seed; }
  QSpinBox* samplesBox() const { return m_samples; }
  QComboBox* precisionBox() const { return m_precision; }
  ClassGuidanceControls* guidanceControls() const { return m_guidance; }
  ClassifierGuidanceControls* classifierGuidanceControls() const { return m_classifierGuidance; }
  QPushButton* sampleButton() const { return m_sample; }
  QPushButton* stopButton() const { return m_stop; }

 signals:
  /// A setting changed (by hand or by setSettings / fitModel).
  void changed();
  void sampleRequested();
  void stopRequested();

 private:
  void build();
  void layOut();
  void connectControls();
  void updateControls();

  QComboBox* m_sampler;
  QSpinBox* m_steps;
  QDoubleSpinBox* m_eta;
  QComboBox* m_variance;
  QCheckBox* m_clip;
  QSpinBox* m_seed;
  QSpinBox* m_samples;
  QComboBox* m_precision;
  ClassGuidanceControls* m_guidance;
  ClassifierGuidanceControls* m_classifierGuidance;
  QPushButton* m_sample;
  QPushButton* m_stop;
  std::size_t m_guidanceClasses = 0;  // classes of the model fitted (0: unconditional)
  bool m_imagesModel = true;
  bool m_loaded = false;
  bool m_running = false;
};

}  // namespace ddpm::ui
