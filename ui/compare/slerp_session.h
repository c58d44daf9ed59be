#pragma once

#include "ui/compare/slerp_strip.h"
#include "ui/shared/run_cancellation.h"
#include "ui/shared/worker_thread.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class SlerpWorker;

/// Owns the thread of the noise-space interpolation (SlerpWorker) as SamplingSession owns
/// the sampling thread: start() hands a checkpoint and settings over, a new start cancels
/// the old run and what an old run still sends is ignored; the destructor cancels and
/// joins.
class SlerpSession : public QObject {
  Q_OBJECT

 public:
  explicit SlerpSession(QObject* parent = nullptr);
  ~SlerpSession() override;

  void start(std::shared_ptr<const CheckpointData> checkpoint, const SlerpSettings& settings);
  void cancel();

  bool isRunning() const { return m_running; }
  /// The last finished strip (empty before one finished).
  const SlerpStrip& strip() const { return m_strip; }
  const SlerpSettings& settings() const { return m_settings; }

 signals:
  void progress(int stepsTaken, int totalSteps);
  /// A run ended: `ok` when a strip came back, false when cancelled or failed.
  void finished(bool ok);
  void failed(const QString& message);

 private:
  SlerpStrip m_strip;
  SlerpSettings m_settings;
  bool m_running = false;
  RunCancellation m_runs;
  WorkerThread<SlerpWorker> m_thread;  // last: joined before the members above go
};

}  // namespace ddpm::ui
