#pragma once

#include <QMainWindow>
#include <QString>

#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QSettings;
class QStackedWidget;
class QToolBar;

namespace ddpm::ui {

class CurrentModel;
class FormulaPanel;
class CompareView;
class ForwardView;
class Playback;
class RecentFiles;
class SamplingView;
class EvaluateView;
class ScheduleModel;
class ScheduleView;
class StudioView;
class TimestepCursor;
class TrainingView;
struct StudioOptions;

/// The DDPM Studio window: a sidebar to move between its six views (Schedule, Forward
/// process, Training, Sampling, Compare, Evaluate; each a StudioView added through
/// addView), menus, a toolbar, the formula dock (the current view's equation, FormulaPanel)
/// and a status bar with t. It owns what the views share: the schedule (ScheduleModel), the
/// timestep cursor, the playback and the current model (CurrentModel, the checkpoint the
/// Sampling, Compare and Evaluate views use; a finished training run becomes it). The
/// window's geometry and dock layout, the schedule, each view's choices and recent files
/// are kept with QSettings (not in SettingsMode::Fresh).
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// Whether the window reads and writes QSettings (off for `--fresh` runs).
  enum class SettingsMode { Persistent, Fresh };

  explicit MainWindow(QWidget* parent = nullptr);
  explicit MainWindow(SettingsMode mode, QWidget* parent = nullptr);
  ~MainWindow() override;

  ScheduleModel* scheduleModel() const { return m_schedule; }
  TimestepCursor* cursor() const { return m_cursor; }
  Playback* playback() const { return m_playback; }
  ScheduleView* scheduleView() const { return m_scheduleView; }
  ForwardView* forwardView() const { return m_forwardView; }
  SamplingView* samplingView() const { return m_samplingView; }
  EvaluateView* evaluateView() const { return m_evaluateView; }
  CompareView* compareView() const { return m_compareView; }
  TrainingView* trainingView() const { return m_trainingView; }
  FormulaPanel* formulaPanel() const { return m_formula; }
  RecentFiles* recentFiles() const { return m_recent; }
  /// The checkpoint opened with File ▸ Open checkpoint… (none at start).
  CurrentModel* currentModel() const { return m_model; }
  QAction* openCheckpointAction() const { return m_openCheckpoint; }
  QAction* saveCheckpointAction() const { return m_saveCheckpoint; }
  QListWidget* sidebar() const { return m_sidebar; }
  QMenu* recentMenu() const { return m_recentMenu; }
  const std::vector<StudioView*>& views() const { return m_views; }
  StudioView* currentView() const;
  QString currentViewKey() const;
  QString statusText() const;

  /// Adds a view to the navigation (its View-menu shortcut is Ctrl+<position>).
  void addView(StudioView* view);
  /// Shows the view with this key; false if there is none.
  bool setCurrentView(const QString& key);

  /// Applies command-line options; returns an error message, or empty on success.
  QString applyOptions(const StudioOptions& options);
  /// Saves the window (as drawn now) to a PNG file.
  bool saveScreenshot(const QString& path, QString* error = nullptr);

  /// Opens a file from the recent list or a drop: pictures go to the Forward view,
  /// .safetensors files open as checkpoints, anything else is read as a β schedule
  /// file. Returns an error or empty.
  QString openFile(const QString& path);

  /// Opens a checkpoint (.safetensors) as the current model: the Schedule view takes its
  /// schedule, the Forward view its data when it can show them, the title its file name,
  /// and the file joins the recent files. On any error the window is unchanged and the
  /// reason is reported (see reportError); returns success.
  bool openCheckpoint(const QString& path);
  /// Opens the model a new window starts with: the checkpoint that was open when the
  /// window was last closed (persistent settings only), else the shipped Fashion-MNIST
  /// model (resources/checkpoints, found as core's resolve_checkpoint finds it). Returns
  /// the file opened, or empty (with a note in the status bar) when there is none.
  QString openStartupModel();
  /// Writes the current model to `path` atomically, its weights in the precision they
  /// were loaded with; the model then lives in `path`. Errors are reported; returns success.
  bool saveCheckpointAs(const QString& path);

  /// What closing the window does while a model is training: ask (Stop and save /
  /// Cancel), or, for tests and scripted runs, stop and save, or keep the window open.
  enum class TrainingClosePolicy { Ask, StopAndSave, Cancel };
  void setTrainingClosePolicy(TrainingClosePolicy policy) { m_trainingClosePolicy = policy; }

  /// Whether reported errors (opening, saving, exporting, training) also pop up a message box
  /// (on by default; tests turn it off and watch errorReported instead).
  void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

  /// Text size relative to the system's (View ▸ Larger/Smaller text).
  double textScale() const { return m_textScale; }
  void setTextScale(double scale);

  void saveSettings();
  void restoreSettings();

 signals:
  /// An error the person should see (also shown in a message box unless turned off).
  void errorReported(const QString& title, const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void construct();
  /// The sidebar of views beside the stack that shows the current one.
  void createCentralArea();
  /// The formula dock and the status bar's t.
  void createFormulaDock();
  /// The six views, in the sidebar's order, and what they ask of the window.
  void createViews();
  void connectSignals();
  void createActions();
  void createMenus();
  void createToolBar();
  void rebuildRecentMenu();
  void refreshFormula();
  void queueFormula();
  void updateStatus();
  void onViewChanged(int row);
  void openBetasFileInteractive();
  void openImageInteractive();
  void openCheckpointInteractive();
  void saveCheckpointInteractive();
  QString loadCheckpointFile(const QString& path);
  void reportError(const QString& title, const QString& message);
  void retrainWithSchedule();
  bool stopTrainingForClose();
  void updateTitle();
  void exportImageInteractive();
  void exportTableInteractive();
  /// The files the window reads (the open checkpoint, the picture the Forward view shows),
  /// which no export may overwrite.
  QStringList inputFiles() const;
  void showAbout();
  void showMaths();

  SettingsMode m_mode = SettingsMode::Persistent;
  ScheduleModel* m_schedule = nullptr;
  TimestepCursor* m_cursor = nullptr;
  Playback* m_playback = nullptr;
  RecentFiles* m_recent = nullptr;
  CurrentModel* m_model = nullptr;
  ScheduleView* m_scheduleView = nullptr;
  ForwardView* m_forwardView = nullptr;
  SamplingView* m_samplingView = nullptr;
  EvaluateView* m_evaluateView = nullptr;
  CompareView* m_compareView = nullptr;
  TrainingView* m_trainingView = nullptr;
  std::vector<StudioView*> m_views;
  QListWidget* m_sidebar = nullptr;
  QStackedWidget* m_stack = nullptr;
  QDockWidget* m_formulaDock = nullptr;
  FormulaPanel* m_formula = nullptr;
  QToolBar* m_toolBar = nullptr;
  QLabel* m_statusT = nullptr;
  QMenu* m_fileMenu = nullptr;
  QMenu* m_viewMenu = nullptr;
  QMenu* m_recentMenu = nullptr;
  QActionGroup* m_viewActions = nullptr;
  QAction* m_viewSeparator = nullptr;
  QAction* m_openBetas = nullptr;
  QAction* m_openImage = nullptr;
  QAction* m_exportImage = nullptr;
  QAction* m_exportTable = nullptr;
  QAction* m_openCheckpoint = nullptr;
  QAction* m_saveCheckpoint = nullptr;
  QAction* m_quit = nullptr;
  QAction* m_play = nullptr;
  QAction* m_newNoise = nullptr;
  double m_textScale = 1.0;
  double m_baseFontPoints = 10.0;
  bool m_formulaPending = false;
  bool m_errorDialogs = true;
  TrainingClosePolicy m_trainingClosePolicy = TrainingClosePolicy::Ask;
};

}  // namespace ddpm::ui
