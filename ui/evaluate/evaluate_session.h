#pragma once

#include "ui/evaluate/evaluation_types.h"
#include "ui/shared/run_cancellation.h"
#include "ui/shared/worker_thread.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class EvaluateWorker;

/// Owns the "evaluate" thread and its EvaluateWorker. One run at a time: a new start
/// cancels the run in progress, and signals of older runs are dropped (run ids). The
/// destructor cancels and joins the thread (waiting for at most one network call).
class EvaluateSession : public QObject {
  Q_OBJECT

 public:
  enum class Kind { None, Bound, Quality };

  explicit EvaluateSession(QObject* parent = nullptr);
  ~EvaluateSession() override;

  void startBound(std::shared_ptr<const CheckpointData> checkpoint, const BoundSettings& settings);
  void startQuality(std::shared_ptr<const CheckpointData> checkpoint, const QualitySettings& settings);
  /// Stops the current run before its next network call.
  void cancel();

  bool isRunning() const { return m_running; }
  Kind runningKind() const { return m_running ? m_kind : Kind::None; }

 signals:
  void progress(qint64 done, qint64 total, const QString& text);
  void boundFinished(const ddpm::ui::BoundResult& result);
  void qualityRow(const ddpm::ui::QualityRow& row);
  /// The run ended without error; `cancelled` when Cancel (or a new run) stopped it.
  void finished(ddpm::ui::EvaluateSession::Kind kind, bool cancelled);
  void failed(ddpm::ui::EvaluateSession::Kind kind, const QString& message);
  void runningChanged(bool running);

 private:
  quint64 begin(Kind kind);

  Kind m_kind = Kind::None;
  bool m_running = false;
  RunCancellation m_runs;
  WorkerThread<EvaluateWorker> m_thread;  // last: joined before the members above go
};

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::EvaluateSession::Kind)
