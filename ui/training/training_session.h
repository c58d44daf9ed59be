#pragma once

#include "ui/shared/worker_thread.h"
#include "ui/training/training_config.h"
#include "ui/training/training_report.h"

#include <QObject>
#include <QSize>
#include <QString>

namespace ddpm::ui {

class TrainingWorker;

/// Owns the training thread and its worker: start() queues a run on the worker's
/// QThread, the request functions pass pause/stop/save to it, and shutdown is explicit
/// (stopAndWait, also in the destructor), as in Qt's mandelbrot example. Connect to
/// worker()'s signals for the reports; they arrive queued on this object's thread.
class TrainingSession : public QObject {
  Q_OBJECT

 public:
  explicit TrainingSession(QObject* parent = nullptr);
  /// Stops a run (it saves its checkpoint) and waits for the thread.
  ~TrainingSession() override;

  /// Queues a run; false when one is still going.
  bool start(const TrainingConfig& config);
  /// From start() until the worker's ended() has been received (or stopAndWait returned).
  bool isRunning() const { return m_running; }
  bool isPaused() const;
  void setPaused(bool paused);
  /// Asks the run to stop after its current step and save; ended() follows.
  void stop();
  /// Stops and blocks until the run has returned and the thread has finished (the
  /// checkpoint is then on disk); false if `timeoutMs` (−1: no limit) ran out first.
  bool stopAndWait(int timeoutMs = -1);
  /// Saves the running model to `path` between steps (answered by the worker's
  /// checkpointSaved or saveFailed).
  void requestSave(const QString& path);
  void setPreviewCanvas(QSize pixels);

  TrainingWorker* worker() const { return m_thread.worker(); }
  /// The runId given to the latest run; outcomes of older runs carry smaller ones.
  quint64 currentRunId() const { return m_runId; }

 signals:
  void runningChanged(bool running);

 private:
  void setRunning(bool running);

  bool m_running = false;
  quint64 m_runId = 0;
  WorkerThread<TrainingWorker> m_thread;  // started by start(), quit by stopAndWait()
};

}  // namespace ddpm::ui
