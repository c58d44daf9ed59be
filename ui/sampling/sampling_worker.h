#pragma once

#include "ui/sampling/sampling_settings.h"
#include "ui/sampling/trajectory_frame.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

/// Runs core's reverse process (ReverseProcess, DDPM or DDIM) for a checkpoint's model on
/// the thread it lives on, and records every step compactly (see TrajectoryFrame). Only
/// plain values leave it: frames are sent in batches (at most one batch per ~40 ms, so
/// the GUI thread is never flooded) through queued signals. Every run has an id, which
/// its signals carry, and a cancel flag (RunCancellation::beginRun): the run stops before
/// its next step once the flag is true.
class SamplingWorker : public QObject {
  Q_OBJECT

 public:
  explicit SamplingWorker(QObject* parent = nullptr);

  /// Samples `settings.samples` draws from `checkpoint` (its network on CUDA when there
  /// is one, else the CPU; its schedule and sample shape). Blocks until the run ends:
  /// call it on the worker's thread. Emits started, framesRecorded…, then finished, or
  /// failed with a sentence (bad settings for this model, a network that will not load).
  void run(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const ddpm::CheckpointData> checkpoint,
           ddpm::ui::SamplingSettings settings);

 signals:
  void started(quint64 runId, const ddpm::ui::TrajectoryLayout& layout);
  /// The next frames in step order (frame 0 = x_T first).
  void framesRecorded(quint64 runId, const std::vector<ddpm::ui::TrajectoryFrame>& frames);
  /// Steps taken so far of totalSteps, and the rate over the run so far.
  void progress(quint64 runId, int stepsTaken, int totalSteps, double stepsPerSecond);
  void finished(quint64 runId, bool cancelled, double seconds);
  void failed(quint64 runId, const QString& message);
};

}  // namespace ddpm::ui
