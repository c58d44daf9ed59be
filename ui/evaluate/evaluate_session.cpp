#include "core/checkpoint/checkpoint.h"

#include "ui/evaluate/evaluate_session.h"

#include "ui/evaluate/evaluate_worker.h"

#include <QMetaObject>

namespace ddpm::ui {

EvaluateSession::EvaluateSession(QObject* parent) : QObject(parent), m_worker(new EvaluateWorker) {
  qRegisterMetaType<BoundResult>("ddpm::ui::BoundResult");
  qRegisterMetaType<QualityRow>("ddpm::ui::QualityRow");
  qRegisterMetaType<Kind>("ddpm::ui::EvaluateSession::Kind");
  m_thread.setObjectName(QStringLiteral("evaluate"));
  m_worker->moveToThread(&m_thread);
  connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  connect(m_worker, &EvaluateWorker::progress, this, [this](quint64 runId, qint64 done, qint64 total, const QString& text) {
    if (runId == m_runId) emit progress(done, total, text);
  });
  connect(m_worker, &EvaluateWorker::boundFinished, this, [this](quint64 runId, const BoundResult& result) {
    if (runId == m_runId) emit boundFinished(result);
  });
  connect(m_worker, &EvaluateWorker::qualityRow, this, [this](quint64 runId, const QualityRow& row) {
    if (runId == m_runId) emit qualityRow(row);
  });
  connect(m_worker, &EvaluateWorker::finished, this, [this](quint64 runId, bool cancelled) {
    if (runId != m_runId) return;
    m_running = false;
    emit runningChanged(false);
    emit finished(m_kind, cancelled);
  });
  connect(m_worker, &EvaluateWorker::failed, this, [this](quint64 runId, const QString& message) {
    if (runId != m_runId) return;
    m_running = false;
    emit runningChanged(false);
    emit failed(m_kind, message);
  });
  m_thread.start();
}

EvaluateSession::~EvaluateSession() {
  m_worker->cancelUpTo(m_runId);
  m_thread.quit();
  m_thread.wait();
}

quint64 EvaluateSession::begin(Kind kind) {
  m_worker->cancelUpTo(m_runId);  // the run in progress, if any, stops at its next network call
  const bool wasRunning = m_running;
  m_kind = kind;
  m_running = true;
  if (!wasRunning) emit runningChanged(true);
  return ++m_runId;
}

void EvaluateSession::startBound(std::shared_ptr<const CheckpointData> checkpoint, const BoundSettings& settings) {
  const quint64 runId = begin(Kind::Bound);
  EvaluateWorker* worker = m_worker;
  QMetaObject::invokeMethod(
      m_worker, [worker, runId, checkpoint = std::move(checkpoint), settings] { worker->runBound(runId, checkpoint, settings); },
      Qt::QueuedConnection);
}

void EvaluateSession::startQuality(std::shared_ptr<const CheckpointData> checkpoint, const QualitySettings& settings) {
  const quint64 runId = begin(Kind::Quality);
  EvaluateWorker* worker = m_worker;
  QMetaObject::invokeMethod(
      m_worker,
      [worker, runId, checkpoint = std::move(checkpoint), settings] { worker->runQuality(runId, checkpoint, settings); },
      Qt::QueuedConnection);
}

void EvaluateSession::cancel() {
  m_worker->cancelUpTo(m_runId);
}

}  // namespace ddpm::ui
