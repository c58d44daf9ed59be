#include "ui/training/training_session.h"

#include "ui/training/training_worker.h"

#include "core/runtime/memory.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

namespace ddpm::ui {

TrainingSession::TrainingSession(QObject* parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new TrainingWorker) {
  m_thread->setObjectName(QStringLiteral("ddpm-training"));
  m_worker->moveToThread(m_thread);
  connect(m_worker, &TrainingWorker::ended, this, [this](const TrainingOutcome& outcome) {
    if (outcome.runId != m_runId) return;  // a late report of a run already waited for
    setRunning(false);
    release_free_memory();  // the data set and the run's buffers (docs/reliability.md, GUI soak)
  });
}

TrainingSession::~TrainingSession() {
  stopAndWait();
  delete m_worker;  // its thread has finished: no event of it is left to run
}

bool TrainingSession::start(const TrainingConfig& config) {
  if (m_running) return false;
  if (!m_thread->isRunning()) m_thread->start();
  m_worker->prepare();
  TrainingConfig queued = config;
  queued.runId = ++m_runId;
  TrainingWorker* worker = m_worker;
  QMetaObject::invokeMethod(m_worker, [worker, queued] { worker->run(queued); }, Qt::QueuedConnection);
  setRunning(true);
  return true;
}

bool TrainingSession::isPaused() const {
  return m_worker->isPaused();
}

void TrainingSession::setPaused(bool paused) {
  m_worker->setPaused(paused);
}

void TrainingSession::stop() {
  m_worker->requestStop();
}

bool TrainingSession::stopAndWait(int timeoutMs) {
  m_worker->requestStop();
  if (!m_thread->isRunning()) {
    setRunning(false);
    return true;
  }
  // quit() ends the thread's event loop once the run (the slot now executing) returns.
  m_thread->quit();
  const bool done = m_thread->wait(timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(timeoutMs));
  if (!done) return false;
  // A run still queued (stopped before it began) must not start with the next thread.
  QCoreApplication::removePostedEvents(m_worker);
  setRunning(false);
  return true;
}

void TrainingSession::requestSave(const QString& path) {
  m_worker->requestSave(path);
}

void TrainingSession::setPreviewCanvas(QSize pixels) {
  m_worker->setPreviewCanvas(pixels);
}

void TrainingSession::setRunning(bool running) {
  if (m_running == running) return;
  m_running = running;
  emit runningChanged(running);
}

}  // namespace ddpm::ui
