#include "core/checkpoint/checkpoint.h"

#include "ui/compare/slerp_session.h"

#include "ui/compare/slerp_worker.h"

#include <QMetaObject>

namespace ddpm::ui {

SlerpSession::SlerpSession(QObject* parent) : QObject(parent), m_worker(new SlerpWorker) {
  qRegisterMetaType<SlerpStrip>("ddpm::ui::SlerpStrip");
  m_thread.setObjectName(QStringLiteral("slerp"));
  m_worker->moveToThread(&m_thread);
  connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  connect(m_worker, &SlerpWorker::progress, this, [this](quint64 runId, int taken, int total) {
    if (runId == m_runId) emit progress(taken, total);
  });
  connect(m_worker, &SlerpWorker::finished, this, [this](quint64 runId, const SlerpStrip& strip) {
    if (runId != m_runId) return;
    m_strip = strip;
    m_running = false;
    emit finished(true);
  });
  connect(m_worker, &SlerpWorker::cancelled, this, [this](quint64 runId) {
    if (runId != m_runId) return;
    m_running = false;
    emit finished(false);
  });
  connect(m_worker, &SlerpWorker::failed, this, [this](quint64 runId, const QString& message) {
    if (runId != m_runId) return;
    m_running = false;
    emit failed(message);
    emit finished(false);
  });
  m_thread.start();
}

SlerpSession::~SlerpSession() {
  m_worker->cancelUpTo(m_runId);
  m_thread.quit();
  m_thread.wait();
}

void SlerpSession::start(std::shared_ptr<const CheckpointData> checkpoint, const SlerpSettings& settings) {
  m_worker->cancelUpTo(m_runId);
  const quint64 runId = ++m_runId;
  m_settings = settings;
  m_running = true;
  SlerpWorker* worker = m_worker;
  QMetaObject::invokeMethod(
      m_worker, [worker, runId, checkpoint = std::move(checkpoint), settings] { worker->run(runId, checkpoint, settings); },
      Qt::QueuedConnection);
}

void SlerpSession::cancel() { m_worker->cancelUpTo(m_runId); }

}  // namespace ddpm::ui
