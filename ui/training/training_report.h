#pragma once

#include <QMetaType>
#include <QString>

#include <vector>

namespace ddpm::ui {

/// What a run is, sent once by the worker when the trainer is built.
struct TrainingStarted {
  qint64 firstStep = 0;       ///< 0 for a new run, the checkpoint's step when continuing
  qint64 totalSteps = 0;      ///< the run ends at this step
  qint64 autosaveEvery = 0;   ///< steps between autosaves in force
  qint64 parameters = 0;      ///< trainable parameters of ε_θ
  qint64 dataSize = 0;        ///< training samples
  int timesteps = 0;          ///< T of the schedule trained with
  int threads = 0;            ///< torch intra-op threads used
  bool pointData = false;     ///< 2D points (else images)
  QString device;             ///< "cpu", "cuda:0"
  QString summary;            ///< "mlp (136,450 parameters) on moons (10,000 samples), T = 50, cpu"
};

/// The training steps since the previous report, batched by the worker so the GUI gets
/// a few reports a second however fast the steps are. Steps are consecutive:
/// losses[i] belongs to step firstStep + i (steps counted from 1).
struct TrainingProgress {
  qint64 firstStep = 0;
  std::vector<double> losses;       ///< L_simple of each step's batch (eq. 14)
  std::vector<int> t;               ///< every sample's code timestep, all steps of the report
  std::vector<float> sampleLoss;    ///< ‖ε − ε_θ‖² / dim of each of those samples
  qint64 step = 0;                  ///< steps done after the last one reported
  qint64 totalSteps = 0;
  double stepsPerSecond = 0;        ///< wall clock over the last few seconds (previews included)
  double etaSeconds = -1;           ///< −1 while unknown
  double learningRate = 0;
};

/// How a run ended, with the file that holds its last good state.
struct TrainingOutcome {
  enum class Status { Finished, Stopped, Failed };
  Status status = Status::Finished;
  QString message;          ///< a sentence for the person ("trained 2000 steps", core's NaN message, …)
  QString checkpointPath;   ///< the last good checkpoint of this run (empty when none was saved)
  qint64 step = 0;          ///< steps done when it ended
  qint64 stepsTaken = 0;    ///< steps this run took (step − firstStep)
  double trainSeconds = 0;  ///< wall time of the training loop (steps, saves, previews)
  quint64 runId = 0;        ///< the TrainingConfig::runId of the run
};

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::TrainingStarted)
Q_DECLARE_METATYPE(ddpm::ui::TrainingOutcome)
Q_DECLARE_METATYPE(ddpm::ui::TrainingProgress)
