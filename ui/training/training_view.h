#pragma once

#include "ui/shared/studio_view.h"

#include <QElapsedTimer>
#include <QImage>
#include <QString>

#include <memory>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;

namespace ddpm::ui {

class ImagePanel;
class LossByTPlot;
class LossHeatmap;
struct ObjectiveText;
class LossHeatmapData;
class LossHistory;
class LossPlot;
class TrainingForm;
class TrainingSession;
struct TrainingOutcome;
struct TrainingProgress;
struct TrainingStarted;

/// The Training view: choose data, model, the window's schedule and the optimiser's
/// numbers, then Start / Pause / Resume / Stop a run that a TrainingSession carries out
/// on its own thread. While it runs the view shows progress (it/s, ETA), the loss (raw
/// and smoothed, linear or log), the loss against t in bins, and sample previews drawn
/// in the worker. Plots are fed from a GUI-side LossHistory and redrawn at most five
/// times a second. A run saves its checkpoint (autosaves, Stop, the end); a finished or
/// stopped run's checkpoint is announced with checkpointReady so the window can make it
/// the current model, and a stopped run can be continued with one click.
class TrainingView : public StudioView {
  Q_OBJECT

 public:
  TrainingView(ScheduleModel* schedule, TimestepCursor* cursor, QWidget* parent = nullptr);
  /// Stops a run (it saves) and waits for the training thread.
  ~TrainingView() override;

  QString key() const override { return QStringLiteral("training"); }
  QString title() const override { return tr("Training"); }
  QIcon icon() const override;
  QString formulaHtml() const override;
  QString exportImageName() const override { return QStringLiteral("training.png"); }
  bool exportImage(const QString& path, QString* error) override;
  void saveState(QSettings& settings) const override;
  void restoreState(QSettings& settings) override;

  /// Starts (or continues) the run the form describes. Invalid settings are reported
  /// through errorReported and nothing starts; returns whether a run was queued.
  bool start();
  void pause();
  void resume();
  /// Asks the run to stop after the current step; it saves and ends as stopped.
  void stop();
  /// Stops and waits until the checkpoint is written and the thread is done (for
  /// closing the window); false if `timeoutMs` ran out.
  bool stopAndWait(int timeoutMs = -1);
  bool isTraining() const;
  bool isPaused() const;

  /// Continue the run in `path` (Start then continues it). Errors are reported; returns success.
  bool continueFrom(const QString& path);
  /// Back to a new run (drops a checkpoint to continue).
  void newRun();
  /// From the Schedule view's "Retrain with this schedule": a new run with the window's
  /// schedule; `dataSpec`/`preset` (when not empty) replace the form's data and model.
  void prepareRetrain(const QString& dataSpec, const QString& preset);
  /// Saves the model to `path`: between steps while a run goes on, else a copy of the
  /// last checkpoint. Errors are reported.
  void saveCheckpointAs(const QString& path);

  TrainingForm* form() const { return m_form; }
  TrainingSession* session() const { return m_session; }
  const LossHistory& history() const { return *m_history; }
  LossPlot* lossPlot() const { return m_lossPlot; }
  LossByTPlot* lossByTPlot() const { return m_lossByT; }
  /// Loss against t and training step (a tab beside the loss-against-t bars).
  LossHeatmap* lossHeatmap() const { return m_lossHeatmap; }
  const LossHeatmapData& heatmapData() const { return *m_heatmapData; }
  QTabWidget* lossByTTabs() const { return m_lossByTTabs; }
  ImagePanel* previewPanel() const { return m_preview; }
  QProgressBar* progressBar() const { return m_progress; }
  QPushButton* startButton() const { return m_start; }
  QPushButton* pauseButton() const { return m_pause; }
  QPushButton* stopButton() const { return m_stop; }
  QPushButton* saveAsButton() const { return m_saveAs; }
  QCheckBox* logScaleBox() const { return m_logScale; }
  /// The line under the progress bar: state, it/s, ETA, loss.
  QString statusText() const;
  /// The checkpoint of the last run that ended (empty before).
  QString lastCheckpoint() const { return m_lastCheckpoint; }
  qint64 currentStep() const { return m_step; }

 signals:
  /// An error the person must see (the window shows it; tests watch it).
  void errorReported(const QString& title, const QString& message);
  /// A run finished or stopped and its checkpoint is complete at `path`.
  void checkpointReady(const QString& path);
  /// A run reported progress (after the GUI took it in); `step` is the latest step.
  void progressed(qint64 step);
  void trainingStarted();
  void trainingEnded(const ddpm::ui::TrainingOutcome& outcome);
  void runningChanged(bool running);
  /// The Edit… button next to the schedule: show the Schedule view.
  void editScheduleRequested();

 private:
  void setUpControls();
  void layOut();
  void connectSignals();
  void onStarted(const TrainingStarted& info);
  void onProgress(const TrainingProgress& report);
  void onPreview(const QImage& image, qint64 step);
  void onEnded(const TrainingOutcome& outcome);
  void onCheckpointSaved(const QString& path, qint64 step, bool autosave);
  void redraw();
  void updateButtons();
  /// The plots' titles, axis labels and the formula follow the form's objective and loss.
  void showObjective();
  ObjectiveText currentObjectiveText() const;
  void setStatus(const QString& text, const QString& kind = {});
  void saveAsInteractive();
  void continueInteractive();

  TrainingForm* m_form;
  TrainingSession* m_session;
  std::unique_ptr<LossHistory> m_history;
  LossPlot* m_lossPlot;
  LossByTPlot* m_lossByT;
  std::unique_ptr<LossHeatmapData> m_heatmapData;
  LossHeatmap* m_lossHeatmap;
  QTabWidget* m_lossByTTabs;
  ImagePanel* m_preview;
  QProgressBar* m_progress;
  QLabel* m_status;
  QLabel* m_message;
  QPushButton* m_start;
  QPushButton* m_pause;
  QPushButton* m_stop;
  QPushButton* m_saveAs;
  QPushButton* m_continue;
  QPushButton* m_newRun;
  QCheckBox* m_logScale;
  QWidget* m_results;
  QTimer* m_redraw;
  QElapsedTimer m_formulaClock;

  QString m_lastCheckpoint;
  QString m_summary;
  qint64 m_firstStep = 0;
  qint64 m_totalSteps = 0;
  qint64 m_step = 0;
  double m_stepsPerSecond = 0;
  double m_eta = -1;
  double m_lastLoss = 0;
  double m_learningRate = 0;
  bool m_pointData = true;
};

}  // namespace ddpm::ui
