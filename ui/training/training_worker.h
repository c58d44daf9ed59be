#pragma once

#include "ui/training/training_config.h"
#include "ui/training/training_report.h"

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace ddpm::ui {

/// Runs training on the thread it lives on (TrainingSession moves it to its own QThread):
/// run() builds core's Trainer (new run or continued checkpoint), calls Trainer::run and
/// reports through queued signals that carry only plain values. Between steps, in the
/// trainer's step callback, it batches progress into a few reports a second, draws a
/// sample preview every few seconds, serves "save as" requests, waits while paused and
/// turns a stop request into Trainer::cancel (which saves the checkpoint).
///
/// The request functions (setPaused, requestStop, requestSave, setPreviewCanvas) are
/// thread-safe and meant for the GUI thread; a pause also lets a save request through.
class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainingWorker(QObject* parent = nullptr);
  ~TrainingWorker() override;

  /// Clears stop, pause and save requests; call before queueing run().
  void prepare();
  void setPaused(bool paused);
  bool isPaused() const { return m_paused.load(); }
  /// Stop after the current step; the run saves its checkpoint and ends as Stopped.
  void requestStop();
  bool stopRequested() const { return m_stop.load(); }
  /// Save the model to `path` between steps (also while paused); answered by
  /// checkpointSaved or saveFailed.
  void requestSave(const QString& path);
  /// Size in pixels of 2D previews.
  void setPreviewCanvas(QSize pixels);

 public slots:
  /// Trains as `config` says; blocks this thread until the run ends (ended is emitted).
  void run(const ddpm::ui::TrainingConfig& config);

 signals:
  void started(const ddpm::ui::TrainingStarted& info);
  void progress(const ddpm::ui::TrainingProgress& report);
  /// Samples drawn from the EMA weights after `step` steps.
  void previewReady(const QImage& image, qint64 step);
  /// A checkpoint was written: an autosave, or a requested save to another file.
  void checkpointSaved(const QString& path, qint64 step, bool autosave);
  void saveFailed(const QString& path, const QString& message);
  void pausedChanged(bool paused);
  void ended(const ddpm::ui::TrainingOutcome& outcome);

 private:
  friend class TrainingRun;
  bool takeSaveRequest(QString* path);
  /// Waits until resumed, stopped, or a save is requested; returns what woke it.
  enum class Wake { Resumed, Stopped, Save };
  Wake waitWhilePaused();
  QSize previewCanvas() const;

  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_paused{false};
  std::atomic<int> m_canvasWidth{360};
  std::atomic<int> m_canvasHeight{360};
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  QString m_savePath;  // guarded by m_mutex
};

}  // namespace ddpm::ui
