#include "ui/training/training_session.h"

#include "ui/training/training_worker.h"

#include "core/runtime/memory.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

namespace ddpm::ui {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent), m_thread(QStringLiteral("ddpm-training")) {
  connect(worker(), &TrainingWorker::ended, this, [this](const TrainingOutcome& outcome) {
    if (outcome.runId != m_runId) return;  // a late report of a run already waited for
    setRunning(false);
    release_free_memory();  // the data set and the run's buffers (docs/reliability.md, GUI soak)
  });
}

TrainingSession::~TrainingSession() {
  stopAndWait();  // then m_thread, finished, deletes the worker
}

bool TrainingSession::start(const TrainingConfig& config) {
  if (m_running) return false;
  m_thread.start();
  worker()->prepare();
  TrainingConfig queued = config;
  queued.runId = ++m_runId;
  m_thread.post([worker = m_thread.worker(), queued] { worker->run(queued); });
  setRunning(true);
  return true;
}

bool TrainingSession::isPaused() const {
  return worker()->isPaused();
}

void TrainingSession::setPaused(bool paused) {
  worker()->setPaused(paused);
}

void TrainingSession::stop() {
  worker()->requestStop();
}

bool TrainingSession::stopAndWait(int timeoutMs) {
  worker()->requestStop();
  if (!m_thread.isRunning()) {
    setRunning(false);
    return true;
  }
  // The thread's event loop ends once the run (the slot now executing) returns.
  const bool done =
      m_thread.quitAndWait(timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(timeoutMs));
  if (!done) return false;
  // A run still queued (stopped before it began) must not start with the next thread.
  QCoreApplication::removePostedEvents(worker());
  setRunning(false);
  return true;
}

void TrainingSession::requestSave(const QString& path) {
  worker()->requestSave(path);
}

void TrainingSession::setPreviewCanvas(QSize pixels) {
  worker()->setPreviewCanvas(pixels);
}

void TrainingSession::setRunning(bool running) {
  if (m_running == running) return;
  m_running = running;
  emit runningChanged(running);
}

}  // namespace ddpm::ui
