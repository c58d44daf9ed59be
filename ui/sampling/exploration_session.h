#pragma once

#include "ui/sampling/sample_grid.h"
#include "ui/shared/run_cancellation.h"
#include "ui/shared/worker_thread.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

namespace ddpm::ui {

/// Runs one "what is already decided?" experiment at a time (branching, reconstruction:
/// see exploration.h) on its own QThread, so the GUI thread only draws the result. A job
/// is a function that computes a SampleGrid and reads its cancel flag between network
/// calls; it may throw ddpm::Error, whose sentence comes back through failed(). A new
/// start() cancels the job in progress, and a cancelled job's result is dropped. The
/// destructor cancels and joins the thread.
class ExplorationSession : public QObject {
  Q_OBJECT

 public:
  using Job = std::function<SampleGrid(const std::atomic<bool>* cancel)>;

  explicit ExplorationSession(QObject* parent = nullptr);
  ~ExplorationSession() override;

  void start(Job job);
  void cancel();
  bool isRunning() const { return m_running; }

 signals:
  void finished(const ddpm::ui::SampleGrid& grid, double seconds);
  void failed(const QString& message);

 private:
  bool m_running = false;
  RunCancellation m_jobs;
  WorkerThread<QObject> m_thread;  // the jobs run in its event loop; last: joined first
};

}  // namespace ddpm::ui
