#include "core/checkpoint/checkpoint.h"
#include "core/runtime/memory.h"
#include "core/schedule/noise_schedule.h"

#include "ui/sampling/sampling_session.h"

#include "ui/sampling/sampling_worker.h"

#include <QMetaObject>

namespace ddpm::ui {

SamplingSession::SamplingSession(QObject* parent) : QObject(parent), m_worker(new SamplingWorker) {
  qRegisterMetaType<TrajectoryLayout>("ddpm::ui::TrajectoryLayout");
  qRegisterMetaType<std::vector<TrajectoryFrame>>("std::vector<ddpm::ui::TrajectoryFrame>");
  m_thread.setObjectName(QStringLiteral("sampling"));
  m_worker->moveToThread(&m_thread);
  connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  connect(m_worker, &SamplingWorker::started, this, &SamplingSession::onStarted);
  connect(m_worker, &SamplingWorker::framesRecorded, this, &SamplingSession::onFrames);
  connect(m_worker, &SamplingWorker::progress, this, &SamplingSession::onProgress);
  connect(m_worker, &SamplingWorker::finished, this, &SamplingSession::onFinished);
  connect(m_worker, &SamplingWorker::failed, this, &SamplingSession::onFailed);
  m_thread.start();
}

SamplingSession::~SamplingSession() {
  m_worker->cancelUpTo(m_runId);
  m_thread.quit();
  m_thread.wait();
}

void SamplingSession::start(std::shared_ptr<const CheckpointData> checkpoint, const SamplingSettings& settings) {
  m_worker->cancelUpTo(m_runId);  // the previous run, if any, stops at its next step
  const quint64 runId = ++m_runId;
  m_settings = settings;
  m_schedule.reset();
  if (checkpoint) {
    try {
      m_schedule = std::make_shared<const NoiseSchedule>(checkpoint->schedule);
    } catch (const std::exception&) {
      // The worker reports the same problem as a failed run.
    }
  }
  m_store.clear();
  m_running = true;
  m_rate = 0.0;
  m_seconds = 0.0;
  SamplingWorker* worker = m_worker;
  QMetaObject::invokeMethod(
      m_worker, [worker, runId, checkpoint = std::move(checkpoint), settings] { worker->run(runId, checkpoint, settings); },
      Qt::QueuedConnection);
}

void SamplingSession::cancel() {
  m_worker->cancelUpTo(m_runId);
}

void SamplingSession::onStarted(quint64 runId, const TrajectoryLayout& layout) {
  if (runId != m_runId) return;
  m_store.reset(layout);
  emit started();
}

void SamplingSession::onFrames(quint64 runId, const std::vector<TrajectoryFrame>& frames) {
  if (runId != m_runId) return;
  for (const TrajectoryFrame& frame : frames) m_store.append(frame);
  emit framesAdded(m_store.count());
}

void SamplingSession::onProgress(quint64 runId, int, int, double stepsPerSecond) {
  if (runId == m_runId) m_rate = stepsPerSecond;
}

void SamplingSession::onFinished(quint64 runId, bool cancelled, double seconds) {
  if (runId != m_runId) return;
  m_running = false;
  m_seconds = seconds;
  if (seconds > 0 && m_store.count() > 1) m_rate = (m_store.count() - 1) / seconds;
  release_free_memory();  // the run's activations (docs/reliability.md, GUI soak)
  emit finished(cancelled);
}

void SamplingSession::onFailed(quint64 runId, const QString& message) {
  if (runId != m_runId) return;
  m_running = false;
  emit failed(message);
}

}  // namespace ddpm::ui
