#include "core/checkpoint/checkpoint.h"

#include "ui/evaluate/evaluate_session.h"

#include "ui/evaluate/evaluate_worker.h"

namespace ddpm::ui {

EvaluateSession::EvaluateSession(QObject* parent) : QObject(parent), m_thread(QStringLiteral("evaluate")) {
  qRegisterMetaType<BoundResult>("ddpm::ui::BoundResult");
  qRegisterMetaType<QualityRow>("ddpm::ui::QualityRow");
  qRegisterMetaType<Kind>("ddpm::ui::EvaluateSession::Kind");
  EvaluateWorker* worker = m_thread.worker();
  connect(worker, &EvaluateWorker::progress, this, [this](quint64 runId, qint64 done, qint64 total, const QString& text) {
    if (m_runs.isCurrent(runId)) emit progress(done, total, text);
  });
  connect(worker, &EvaluateWorker::boundFinished, this, [this](quint64 runId, const BoundResult& result) {
    if (m_runs.isCurrent(runId)) emit boundFinished(result);
  });
  connect(worker, &EvaluateWorker::qualityRow, this, [this](quint64 runId, const QualityRow& row) {
    if (m_runs.isCurrent(runId)) emit qualityRow(row);
  });
  connect(worker, &EvaluateWorker::finished, this, [this](quint64 runId, bool cancelled) {
    if (!m_runs.isCurrent(runId)) return;
    m_running = false;
    emit runningChanged(false);
    emit finished(m_kind, cancelled);
  });
  connect(worker, &EvaluateWorker::failed, this, [this](quint64 runId, const QString& message) {
    if (!m_runs.isCurrent(runId)) return;
    m_running = false;
    emit runningChanged(false);
    emit failed(m_kind, message);
  });
  m_thread.start();
}

EvaluateSession::~EvaluateSession() {
  m_runs.cancel();  // then m_thread joins at the run's next network call
}

quint64 EvaluateSession::begin(Kind kind) {
  m_runs.cancel();  // the run in progress, if any, stops at its next network call
  const bool wasRunning = m_running;
  m_kind = kind;
  m_running = true;
  if (!wasRunning) emit runningChanged(true);
  return m_runs.next();
}

void EvaluateSession::startBound(std::shared_ptr<const CheckpointData> checkpoint, const BoundSettings& settings) {
  const quint64 runId = begin(Kind::Bound);
  EvaluateWorker* worker = m_thread.worker();
  RunCancellation* runs = &m_runs;
  m_thread.post([worker, runs, runId, checkpoint = std::move(checkpoint), settings] {
    worker->runBound(runId, runs->beginRun(runId), checkpoint, settings);
  });
}

void EvaluateSession::startQuality(std::shared_ptr<const CheckpointData> checkpoint, const QualitySettings& settings) {
  const quint64 runId = begin(Kind::Quality);
  EvaluateWorker* worker = m_thread.worker();
  RunCancellation* runs = &m_runs;
  m_thread.post([worker, runs, runId, checkpoint = std::move(checkpoint), settings] {
    worker->runQuality(runId, runs->beginRun(runId), checkpoint, settings);
  });
}

void EvaluateSession::cancel() {
  m_runs.cancel();
}

}  // namespace ddpm::ui
