#include "core/checkpoint/checkpoint.h"

#include "ui/compare/slerp_session.h"

#include "ui/compare/slerp_worker.h"

namespace ddpm::ui {

SlerpSession::SlerpSession(QObject* parent) : QObject(parent), m_thread(QStringLiteral("slerp")) {
  qRegisterMetaType<SlerpStrip>("ddpm::ui::SlerpStrip");
  SlerpWorker* worker = m_thread.worker();
  connect(worker, &SlerpWorker::progress, this, [this](quint64 runId, int taken, int total) {
    if (m_runs.isCurrent(runId)) emit progress(taken, total);
  });
  connect(worker, &SlerpWorker::finished, this, [this](quint64 runId, const SlerpStrip& strip) {
    if (!m_runs.isCurrent(runId)) return;
    m_strip = strip;
    m_running = false;
    emit finished(true);
  });
  connect(worker, &SlerpWorker::cancelled, this, [this](quint64 runId) {
    if (!m_runs.isCurrent(runId)) return;
    m_running = false;
    emit finished(false);
  });
  connect(worker, &SlerpWorker::failed, this, [this](quint64 runId, const QString& message) {
    if (!m_runs.isCurrent(runId)) return;
    m_running = false;
    emit failed(message);
    emit finished(false);
  });
  m_thread.start();
}

SlerpSession::~SlerpSession() {
  m_runs.cancel();  // then m_thread joins at the run's next step
}

void SlerpSession::start(std::shared_ptr<const CheckpointData> checkpoint, const SlerpSettings& settings) {
  const quint64 runId = m_runs.next();
  m_settings = settings;
  m_running = true;
  SlerpWorker* worker = m_thread.worker();
  RunCancellation* runs = &m_runs;
  m_thread.post([worker, runs, runId, checkpoint = std::move(checkpoint), settings] {
    worker->run(runId, runs->beginRun(runId), checkpoint, settings);
  });
}

void SlerpSession::cancel() { m_runs.cancel(); }

}  // namespace ddpm::ui
