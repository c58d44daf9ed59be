#pragma once

#include "ui/sampling/sampling_settings.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/run_cancellation.h"
#include "ui/shared/worker_thread.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ddpm {
struct CheckpointData;
class NoiseSchedule;
}

namespace ddpm::ui {

class SamplingWorker;

/// Owns the sampling thread and the trajectory it records. start() hands a checkpoint and
/// settings to a SamplingWorker on its own QThread; frames come back through queued
/// signals and are appended to store() on the GUI thread. A new start() cancels the run
/// in progress, and whatever an old run still sends is ignored (runs carry ids). The
/// destructor cancels and joins the thread, so closing the window never waits for more
/// than one network call.
class SamplingSession : public QObject {
  Q_OBJECT

 public:
  explicit SamplingSession(QObject* parent = nullptr);
  ~SamplingSession() override;

  /// Starts sampling `checkpoint` with `settings`; the store is emptied at once and fills
  /// as the worker goes. The checkpoint is shared read-only with the worker thread.
  void start(std::shared_ptr<const CheckpointData> checkpoint, const SamplingSettings& settings);
  /// Stops the current run before its next step (its frames so far stay).
  void cancel();

  bool isRunning() const { return m_running; }
  const TrajectoryStore& store() const { return m_store; }
  /// Settings and schedule of the trajectory in the store (the last start()).
  const SamplingSettings& settings() const { return m_settings; }
  const NoiseSchedule* schedule() const { return m_schedule.get(); }
  /// Steps per second of the current or last run.
  double stepsPerSecond() const { return m_rate; }
  /// Seconds the last finished run took.
  double seconds() const { return m_seconds; }

 signals:
  /// A run began: the store has its layout, no frames yet.
  void started();
  /// More frames are in the store (count() of them now).
  void framesAdded(int count);
  void finished(bool cancelled);
  void failed(const QString& message);

 private:
  void onStarted(quint64 runId, const TrajectoryLayout& layout);
  void onFrames(quint64 runId, const std::vector<TrajectoryFrame>& frames);
  void onProgress(quint64 runId, int stepsTaken, int totalSteps, double stepsPerSecond);
  void onFinished(quint64 runId, bool cancelled, double seconds);
  void onFailed(quint64 runId, const QString& message);

  TrajectoryStore m_store;
  SamplingSettings m_settings;
  std::shared_ptr<const NoiseSchedule> m_schedule;
  bool m_running = false;
  double m_rate = 0.0;
  double m_seconds = 0.0;
  RunCancellation m_runs;
  WorkerThread<SamplingWorker> m_thread;  // last: joined before the members above go
};

}  // namespace ddpm::ui
