#include "ui/sampling/exploration_session.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include <exception>

namespace ddpm::ui {

ExplorationSession::ExplorationSession(QObject* parent) : QObject(parent), m_thread(QStringLiteral("sampling-explore")) {
  qRegisterMetaType<SampleGrid>("ddpm::ui::SampleGrid");
  m_thread.start();
}

ExplorationSession::~ExplorationSession() {
  cancel();  // then m_thread joins at the job's next network call
}

void ExplorationSession::cancel() {
  m_jobs.cancel();
  m_running = false;
}

void ExplorationSession::start(Job job) {
  cancel();
  const quint64 jobId = m_jobs.next();
  m_running = true;
  m_thread.post([this, jobId, job = std::move(job)] {
    const std::atomic<bool>* flag = m_jobs.beginRun(jobId);
    QElapsedTimer clock;
    clock.start();
    SampleGrid grid;
    QString error;
    try {
      if (!flag->load()) grid = job(flag);
    } catch (const std::exception& e) {  // ddpm::Error with a sentence, or anything torch throws
      error = QString::fromStdString(e.what());
    }
    const double seconds = clock.elapsed() / 1000.0;
    // Back on the GUI thread; a job that was cancelled or replaced is dropped there.
    QMetaObject::invokeMethod(
        this,
        [this, jobId, grid = std::move(grid), error, seconds] {
          if (!m_jobs.isCurrent(jobId) || m_jobs.isCancelled(jobId)) return;
          m_running = false;
          if (!error.isEmpty()) emit failed(error);
          else emit finished(grid, seconds);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace ddpm::ui
