#pragma once
// Fixtures the UI suites share: an untrained 2D checkpoint, a tiny training run set up
// through the Training view's form, and a window showing the Sampling view. (Core headers
// come first: torch's headers must precede Qt's, see docs/architecture.md "Build".)

#include "core/checkpoint/checkpoint.h"
#include "core/models/denoiser.h"
#include "core/sampling/reverse_process.h"

#include "ui/window/main_window.h"
#include "ui/sampling/sampling_settings.h"
#include "ui/training/training_form.h"
#include "ui/training/training_report.h"
#include "ui/sampling/sampling_view.h"

#include <QSignalSpy>
#include <QSize>
#include <QString>

namespace ddpm::test {

/// An untrained 2D model: the MLP preset with fixed initial weights, a `kind` schedule
/// with T steps, "moons" data, saved as if at training step `step`.
inline CheckpointData untrainedPointsCheckpoint(std::int64_t T, ScheduleKind kind, std::int64_t step) {
  torch::manual_seed(3);
  const Denoiser model = make_denoiser(model_preset("mlp", {2}));
  CheckpointData d;
  d.model = model->config();
  d.schedule.kind = kind;
  d.schedule.steps = T;
  d.data_spec = "moons";
  d.normalisation = Normalisation::identity(2);
  d.sample_shape = {2};
  d.step = step;
  d.weights = named_weights(*model);
  return d;
}

/// The core options a Sampling view run with settings `s` should use, written out here
/// rather than taken from the view's own conversion, so the tests check that conversion.
inline SamplerOptions expectedSamplerOptions(const ui::SamplingSettings& s) {
  using S = ui::SamplingSettings::Sampler;
  SamplerOptions o;
  o.kind = s.sampler == S::DDIM          ? SamplerKind::DDIM
           : s.sampler == S::DPMSolverPP ? SamplerKind::DPMSolverPP
           : s.sampler == S::Euler       ? SamplerKind::Euler
           : s.sampler == S::Heun        ? SamplerKind::Heun
                                         : SamplerKind::DDPM;
  o.steps = s.sampler == S::DDPM ? 0 : s.steps;
  // DPM-Solver++ on log-SNR steps (Lu et al.'s choice for small data), the rest uniform.
  o.spacing = s.sampler == S::DPMSolverPP ? StepSpacing::LogSnr : StepSpacing::Uniform;
  o.eta = s.eta;
  o.variance = s.posteriorVariance ? ReverseVariance::Posterior : ReverseVariance::Beta;
  o.clip_x0 = s.clipX0;
  o.n = s.samples;
  o.seed = s.seed;
  o.guidance.class_label = s.classLabel;
  o.guidance.weight = s.classLabel >= 0 ? s.guidance : 0.0;
  o.precision = s.bf16 ? "bf16" : "fp32";
  return o;
}

/// The settings of a small, fast training run: moons, the MLP, batch 64, one thread on the
/// CPU, a preview every `previewSeconds` (0: none), saving to `output`.
inline void setTinyRun(ui::TrainingForm* form, const QString& output, qint64 steps, double previewSeconds) {
  form->setDataSpec(QStringLiteral("moons"));
  form->setModel(QStringLiteral("mlp"));
  form->setTotalSteps(steps);
  form->setBatchSize(64);
  form->setLearningRate(1e-3);
  form->setEmaDecay(0.99);
  form->setSeed(5);
  form->setAutosaveEvery(0);
  form->setDevice(QStringLiteral("cpu"));
  form->setThreads(1);
  form->setPreviewSeconds(previewSeconds);
  form->setOutputPath(output);
}

/// The outcome the spy on a runEnded signal caught, waiting up to `timeoutMs` for it; a
/// Failed outcome with the message "timeout" when none came.
inline ui::TrainingOutcome waitForEnd(QSignalSpy& ended, int timeoutMs) {
  if (ended.isEmpty() && !ended.wait(timeoutMs)) {
    ui::TrainingOutcome timeout;
    timeout.status = ui::TrainingOutcome::Status::Failed;
    timeout.message = QStringLiteral("timeout");
    return timeout;
  }
  return ended.takeFirst().at(0).value<ui::TrainingOutcome>();
}

/// A fresh window with the model at a path opened and the Sampling view shown.
struct SamplingWindow {
  explicit SamplingWindow(int waitMs) : waitMs(waitMs) {}

  ui::MainWindow window{ui::MainWindow::SettingsMode::Fresh};
  ui::SamplingView* view = nullptr;
  int waitMs;

  bool open(const QString& path, QSize size = {1200, 800}) {
    window.setErrorDialogsEnabled(false);
    window.resize(size);
    window.show();
    window.setCurrentView(QStringLiteral("sampling"));
    view = window.samplingView();
    return view && window.openCheckpoint(path);
  }
  // Samples with `settings` and waits for the run to end; true when it finished.
  bool sample(const ui::SamplingSettings& settings) {
    QSignalSpy ended(view, &ui::SamplingView::runEnded);
    view->setSettings(settings);
    if (!view->startSampling()) return false;
    return ended.wait(waitMs) && ended.first().first().toBool();
  }
};

}  // namespace ddpm::test
