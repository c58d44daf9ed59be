#include "core/checkpoint/checkpoint.h"
#include "core/runtime/memory.h"
#include "core/schedule/noise_schedule.h"

#include "ui/sampling/sampling_session.h"

#include "ui/sampling/sampling_worker.h"

namespace ddpm::ui {

SamplingSession::SamplingSession(QObject* parent) : QObject(parent), m_thread(QStringLiteral("sampling")) {
  qRegisterMetaType<TrajectoryLayout>("ddpm::ui::TrajectoryLayout");
  qRegisterMetaType<std::vector<TrajectoryFrame>>("std::vector<ddpm::ui::TrajectoryFrame>");
  SamplingWorker* worker = m_thread.worker();
  connect(worker, &SamplingWorker::started, this, &SamplingSession::onStarted);
  connect(worker, &SamplingWorker::framesRecorded, this, &SamplingSession::onFrames);
  connect(worker, &SamplingWorker::progress, this, &SamplingSession::onProgress);
  connect(worker, &SamplingWorker::finished, this, &SamplingSession::onFinished);
  connect(worker, &SamplingWorker::failed, this, &SamplingSession::onFailed);
  m_thread.start();
}

SamplingSession::~SamplingSession() {
  m_runs.cancel();  // then m_thread joins at its next step
}

void SamplingSession::start(std::shared_ptr<const CheckpointData> checkpoint, const SamplingSettings& settings) {
  const quint64 runId = m_runs.next();  // the previous run, if any, stops at its next step
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
  SamplingWorker* worker = m_thread.worker();
  RunCancellation* runs = &m_runs;
  m_thread.post([worker, runs, runId, checkpoint = std::move(checkpoint), settings] {
    worker->run(runId, runs->beginRun(runId), checkpoint, settings);
  });
}

void SamplingSession::cancel() {
  m_runs.cancel();
}

void SamplingSession::onStarted(quint64 runId, const TrajectoryLayout& layout) {
  if (!m_runs.isCurrent(runId)) return;
  m_store.reset(layout);
  emit started();
}

void SamplingSession::onFrames(quint64 runId, const std::vector<TrajectoryFrame>& frames) {
  if (!m_runs.isCurrent(runId)) return;
  for (const TrajectoryFrame& frame : frames) m_store.append(frame);
  emit framesAdded(m_store.count());
}

void SamplingSession::onProgress(quint64 runId, int, int, double stepsPerSecond) {
  if (m_runs.isCurrent(runId)) m_rate = stepsPerSecond;
}

void SamplingSession::onFinished(quint64 runId, bool cancelled, double seconds) {
  if (!m_runs.isCurrent(runId)) return;
  m_running = false;
  m_seconds = seconds;
  if (seconds > 0 && m_store.count() > 1) m_rate = (m_store.count() - 1) / seconds;
  release_free_memory();  // the run's activations (docs/reliability.md, GUI soak)
  emit finished(cancelled);
}

void SamplingSession::onFailed(quint64 runId, const QString& message) {
  if (!m_runs.isCurrent(runId)) return;
  m_running = false;
  emit failed(message);
}

}  // namespace ddpm::ui
