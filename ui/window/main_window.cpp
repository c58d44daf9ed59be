#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/data/dataset.h"
#include "core/util/error.h"

#include "ui/window/main_window.h"

#include "ui/shared/save_dialog.h"
#include "ui/shared/current_model.h"
#include "ui/shared/playback.h"
#include "ui/shared/png_export.h"
#include "ui/window/recent_files.h"
#include "core/runtime/threads.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_icons.h"
#include "ui/window/studio_options.h"
#include "ui/shared/studio_style.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/training/training_form.h"
#include "ui/compare/compare_view.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/forward/forward_view.h"
#include "ui/sampling/sampling_view.h"
#include "ui/schedule/schedule_view.h"
#include "ui/training/training_view.h"
#include "ui/shared/formula_panel.h"
#include "ui/training/loss_heatmap.h"
#include "ui/window/maths_dialog.h"
#include "ui/schedule/schedule_editor.h"
#include "ui/shared/media_icons.h"

#include <QComboBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace ddpm::ui {

namespace {

/// The shipped checkpoint a new window opens when there is no last model.
const char* const kStartupCheckpointName = "fashion-mnist";

const QStringList kImageSuffixes = {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                    QStringLiteral("bmp"), QStringLiteral("gif"), QStringLiteral("tga"),
                                    QStringLiteral("pgm"), QStringLiteral("ppm"), QStringLiteral("pnm")};

// The system's text size before any View ▸ Larger/Smaller text, shared by all windows.
double baseFontPoints() {
  const char* key = "ddpmBaseFontPoints";
  if (!qApp->property(key).isValid()) qApp->setProperty(key, QApplication::font().pointSizeF());
  return qApp->property(key).toDouble();
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : MainWindow(SettingsMode::Persistent, parent) {}

MainWindow::MainWindow(SettingsMode mode, QWidget* parent) : QMainWindow(parent), m_mode(mode) {
  construct();
}

MainWindow::~MainWindow() = default;

void MainWindow::construct() {
  setWindowTitle(tr("DDPM Studio"));
  setWindowIcon(appIcon());
  setAcceptDrops(true);
  m_baseFontPoints = baseFontPoints();

  m_schedule = new ScheduleModel(this);
  m_cursor = new TimestepCursor(this);
  m_cursor->setSteps(m_schedule->steps());
  m_playback = new Playback(m_cursor, this);
  m_recent = new RecentFiles(this);
  m_model = new CurrentModel(this);

  createCentralArea();
  createFormulaDock();
  createActions();
  createToolBar();
  createMenus();
  createViews();
  connectSignals();

  const int threads = configure_torch_threads();
  statusBar()->showMessage(threads == 1 ? tr("Ready · LibTorch computes on 1 thread")
                                         : tr("Ready · LibTorch computes on %1 threads").arg(threads),
                           5000);
  resize(1440, 900);
  m_sidebar->setCurrentRow(0);
  if (m_mode == SettingsMode::Persistent) restoreSettings();
  rebuildRecentMenu();
  updateStatus();
  refreshFormula();
}

void MainWindow::createCentralArea() {
  // Sidebar: the app's name, then one entry per view.
  auto* sidebarPanel = new QWidget(this);
  sidebarPanel->setObjectName(QStringLiteral("sidebarPanel"));
  sidebarPanel->setAutoFillBackground(true);
  QPalette dark = sidebarPanel->palette();
  dark.setColor(QPalette::Window, colours::kSidebar);
  sidebarPanel->setPalette(dark);
  auto* brand = new QLabel(sidebarPanel);
  brand->setText(QStringLiteral("<span style='color:%1; font-size:large; font-weight:bold'>DDPM Studio</span>")
                     .arg(colours::kSidebarText.name()));
  auto* logo = new QLabel(sidebarPanel);
  logo->setPixmap(appIcon().pixmap(QSize(32, 32)));
  auto* brandRow = new QHBoxLayout;
  brandRow->setContentsMargins(14, 14, 14, 6);
  brandRow->addWidget(logo);
  brandRow->addWidget(brand, 1);
  m_sidebar = new QListWidget(sidebarPanel);
  m_sidebar->setObjectName(QStringLiteral("viewSidebar"));
  m_sidebar->setIconSize(QSize(28, 28));
  m_sidebar->setFocusPolicy(Qt::NoFocus);
  m_sidebar->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* sideLayout = new QVBoxLayout(sidebarPanel);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  sideLayout->setSpacing(0);
  sideLayout->addLayout(brandRow);
  sideLayout->addWidget(m_sidebar, 1);
  sidebarPanel->setFixedWidth(std::max(200, fontMetrics().horizontalAdvance(QStringLiteral("Forward process")) + 96));

  m_stack = new QStackedWidget(this);
  auto* central = new QWidget(this);
  auto* centralLayout = new QHBoxLayout(central);
  centralLayout->setContentsMargins(0, 0, 0, 0);
  centralLayout->setSpacing(0);
  centralLayout->addWidget(sidebarPanel);
  centralLayout->addWidget(m_stack, 1);
  setCentralWidget(central);
}

void MainWindow::createFormulaDock() {
  m_formula = new FormulaPanel(this);
  m_formulaDock = new QDockWidget(tr("Formula"), this);
  m_formulaDock->setObjectName(QStringLiteral("formulaDock"));
  m_formulaDock->setWidget(m_formula);
  m_formulaDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                             QDockWidget::DockWidgetFloatable);
  m_formulaDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::TopDockWidgetArea);
  addDockWidget(Qt::BottomDockWidgetArea, m_formulaDock);

  m_statusT = new QLabel(this);
  m_statusT->setObjectName(QStringLiteral("statusTimestep"));
  statusBar()->addPermanentWidget(m_statusT);
}

void MainWindow::createViews() {
  m_scheduleView = new ScheduleView(m_schedule, m_cursor, m_playback, this);
  m_forwardView = new ForwardView(m_schedule, m_cursor, m_playback, this);
  addView(m_scheduleView);
  addView(m_forwardView);
  m_trainingView = new TrainingView(m_schedule, m_cursor, this);
  // A fresh window leaves the person's files alone: its runs go to the temporary folder
  // (kept there; Save checkpoint as… keeps one elsewhere).
  if (m_mode == SettingsMode::Fresh) m_trainingView->form()->setRunsFolder(QDir::temp().filePath(QStringLiteral("ddpm-studio-runs")));
  addView(m_trainingView);
  connect(m_trainingView, &TrainingView::errorReported, this, &MainWindow::reportError);
  // A finished, stopped or saved run becomes the window's model (as File ▸ Open checkpoint).
  connect(m_trainingView, &TrainingView::checkpointReady, this, [this](const QString& path) { openCheckpoint(path); });
  connect(m_trainingView, &TrainingView::editScheduleRequested, this,
          [this] { setCurrentView(m_scheduleView->key()); });
  connect(m_scheduleView, &ScheduleView::retrainRequested, this, &MainWindow::retrainWithSchedule);
  m_samplingView = new SamplingView(m_schedule, m_cursor, m_model, this);
  addView(m_samplingView);
  connect(m_samplingView, &SamplingView::openCheckpointRequested, m_openCheckpoint, &QAction::trigger);
  // Compare: A/B from one seed, and slerp between two seeds' x_T (ui/compare/).
  m_compareView = new CompareView(m_schedule, m_cursor, m_model, this);
  addView(m_compareView);
  // Evaluate: the bound's bits per t, and quality against the number of steps (ui/evaluate/).
  m_evaluateView = new EvaluateView(m_schedule, m_cursor, m_model, this);
  addView(m_evaluateView);
  connect(m_evaluateView, &EvaluateView::errorReported, this, &MainWindow::reportError);
  connect(m_forwardView, &ForwardView::imageOpened, m_recent, &RecentFiles::add);
  connect(m_scheduleView->editor(), &ScheduleEditor::betasFileLoaded, m_recent, &RecentFiles::add);
  connect(m_scheduleView->compareEditor(), &ScheduleEditor::betasFileLoaded, m_recent, &RecentFiles::add);
}

void MainWindow::connectSignals() {
  connect(m_sidebar, &QListWidget::currentRowChanged, this, &MainWindow::onViewChanged);
  connect(m_schedule, &ScheduleModel::scheduleChanged, this, [this] {
    m_cursor->setSteps(m_schedule->steps());
    updateStatus();
  });
  connect(m_cursor, &TimestepCursor::tChanged, this, &MainWindow::updateStatus);
  connect(m_model, &CurrentModel::changed, this, [this] {
    m_saveCheckpoint->setEnabled(m_model->isLoaded());
    updateTitle();
  });
  connect(m_recent, &RecentFiles::changed, this, [this] {
    rebuildRecentMenu();
    if (m_mode == SettingsMode::Persistent) {
      QSettings settings;
      m_recent->save(settings);  // at once: a crash must not lose the list
    }
  });
  connect(m_playback, &Playback::playingChanged, this, [this](bool playing) {
    m_play->setIcon(playPauseIcon(this, playing));
    m_play->setText(playing ? tr("Pause") : tr("Play"));
  });
}

void MainWindow::createActions() {
  m_openBetas = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open β schedule file…"), this);
  m_openBetas->setShortcut(QKeySequence::Open);
  m_openBetas->setToolTip(tr("Use a custom β schedule: a text file with one β per line"));
  connect(m_openBetas, &QAction::triggered, this, &MainWindow::openBetasFileInteractive);

  m_openImage = new QAction(style()->standardIcon(QStyle::SP_FileIcon), tr("Open image…"), this);
  m_openImage->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  m_openImage->setToolTip(tr("Use a picture of yours as x₀ in the Forward view"));
  connect(m_openImage, &QAction::triggered, this, &MainWindow::openImageInteractive);

  // Ctrl+O and Ctrl+Shift+O already open β files and images.
  m_openCheckpoint = new QAction(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Open checkpoint…"), this);
  m_openCheckpoint->setObjectName(QStringLiteral("openCheckpointAction"));
  m_openCheckpoint->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
  m_openCheckpoint->setToolTip(tr("Open a trained model (a DDPM Studio .safetensors checkpoint)"));
  connect(m_openCheckpoint, &QAction::triggered, this, &MainWindow::openCheckpointInteractive);

  m_saveCheckpoint = new QAction(tr("Save checkpoint as…"), this);
  m_saveCheckpoint->setObjectName(QStringLiteral("saveCheckpointAction"));
  m_saveCheckpoint->setShortcut(QKeySequence::SaveAs);
  m_saveCheckpoint->setToolTip(tr("Save the open model to another .safetensors file"));
  m_saveCheckpoint->setEnabled(false);
  connect(m_saveCheckpoint, &QAction::triggered, this, &MainWindow::saveCheckpointInteractive);

  m_exportImage = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("Export image…"), this);
  m_exportImage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  m_exportImage->setToolTip(tr("Save the current view's picture as PNG"));
  connect(m_exportImage, &QAction::triggered, this, &MainWindow::exportImageInteractive);

  m_exportTable = new QAction(tr("Export schedule table (CSV)…"), this);
  m_exportTable->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  connect(m_exportTable, &QAction::triggered, this, &MainWindow::exportTableInteractive);

  m_quit = new QAction(tr("Quit"), this);
  m_quit->setShortcut(QKeySequence::Quit);
  m_quit->setMenuRole(QAction::QuitRole);
  connect(m_quit, &QAction::triggered, this, &QWidget::close);

  m_play = new QAction(playPauseIcon(this, false), tr("Play"), this);
  m_play->setObjectName(QStringLiteral("playAction"));
  m_play->setShortcut(QKeySequence(Qt::Key_Space));
  m_play->setToolTip(tr("Play / pause: run t forward to T − 1 (Space)"));
  connect(m_play, &QAction::triggered, m_playback, &Playback::toggle);

  m_newNoise = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("New noise ε"), this);
  m_newNoise->setShortcut(QKeySequence(Qt::Key_N));
  m_newNoise->setToolTip(tr("Draw a new ε for the Forward view (N)"));
  connect(m_newNoise, &QAction::triggered, this, [this] { m_forwardView->newNoise(); });
}

void MainWindow::createMenus() {
  m_fileMenu = menuBar()->addMenu(tr("&File"));
  m_fileMenu->addAction(m_openBetas);
  m_fileMenu->addAction(m_openImage);
  m_recentMenu = m_fileMenu->addMenu(tr("Open &recent"));
  m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
  m_fileMenu->addSeparator();
  m_fileMenu->addAction(m_openCheckpoint);
  m_fileMenu->addAction(m_saveCheckpoint);
  m_fileMenu->addSeparator();
  m_fileMenu->addAction(m_exportImage);
  m_fileMenu->addAction(m_exportTable);
  m_fileMenu->addSeparator();
  m_fileMenu->addAction(m_quit);

  m_viewMenu = menuBar()->addMenu(tr("&View"));
  m_viewActions = new QActionGroup(this);
  m_viewActions->setExclusive(true);
  m_viewSeparator = m_viewMenu->addSeparator();
  QAction* formula = m_formulaDock->toggleViewAction();
  formula->setText(tr("Formula panel"));
  formula->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
  m_viewMenu->addAction(formula);
  QAction* toolBar = m_toolBar->toggleViewAction();
  toolBar->setText(tr("Toolbar"));
  m_viewMenu->addAction(toolBar);
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(tr("Larger text"), QKeySequence::ZoomIn, this, [this] { setTextScale(m_textScale + 0.1); });
  m_viewMenu->addAction(tr("Smaller text"), QKeySequence::ZoomOut, this, [this] { setTextScale(m_textScale - 0.1); });
  m_viewMenu->addAction(tr("Normal text size"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { setTextScale(1.0); });
  m_viewMenu->addSeparator();
  QAction* fullScreen = m_viewMenu->addAction(tr("Full screen"), QKeySequence::FullScreen, this,
                                              [this] { isFullScreen() ? showNormal() : showFullScreen(); });
  fullScreen->setShortcutContext(Qt::ApplicationShortcut);

  QMenu* time = menuBar()->addMenu(tr("&Timestep"));
  time->addAction(m_play);
  time->addSeparator();
  auto stepAction = [&](const QString& text, const QKeySequence& key, auto&& slot) {
    QAction* action = time->addAction(text, key, this, slot);
    addAction(action);  // keeps working in full screen and with the menu bar hidden
    return action;
  };
  stepAction(tr("Step back"), QKeySequence(Qt::Key_Left), [this] { m_cursor->step(-1); });
  stepAction(tr("Step forward"), QKeySequence(Qt::Key_Right), [this] { m_cursor->step(1); });
  stepAction(tr("Back 10 steps"), QKeySequence(Qt::SHIFT | Qt::Key_Left), [this] { m_cursor->step(-10); });
  stepAction(tr("Forward 10 steps"), QKeySequence(Qt::SHIFT | Qt::Key_Right), [this] { m_cursor->step(10); });
  stepAction(tr("Back a tenth of T"), QKeySequence(Qt::Key_PageUp),
             [this] { m_cursor->step(-std::max(1, m_cursor->steps() / 10)); });
  stepAction(tr("Forward a tenth of T"), QKeySequence(Qt::Key_PageDown),
             [this] { m_cursor->step(std::max(1, m_cursor->steps() / 10)); });
  stepAction(tr("First step (t = 0)"), QKeySequence(Qt::Key_Home), [this] { m_cursor->toFirst(); });
  stepAction(tr("Last step (t = T − 1)"), QKeySequence(Qt::Key_End), [this] { m_cursor->toLast(); });
  time->addSeparator();
  time->addAction(m_newNoise);
  addAction(m_play);
  addAction(m_newNoise);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("The maths"), QKeySequence::HelpContents, this, &MainWindow::showMaths);
  help->addSeparator();
  help->addAction(tr("About DDPM Studio"), this, &MainWindow::showAbout);
  help->addAction(tr("About Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar() {
  m_toolBar = addToolBar(tr("Main"));
  m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
  m_toolBar->setMovable(false);
  m_toolBar->setIconSize(QSize(20, 20));
  m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  m_toolBar->addAction(m_openBetas);
  m_toolBar->addAction(m_openImage);
  m_toolBar->addAction(m_exportImage);
  m_toolBar->addSeparator();
  m_toolBar->addAction(m_play);
  m_toolBar->addAction(m_newNoise);
}

void MainWindow::addView(StudioView* view) {
  m_views.push_back(view);
  m_stack->addWidget(view);
  auto* item = new QListWidgetItem(view->icon(), view->title(), m_sidebar);
  item->setData(Qt::UserRole, view->key());
  item->setSizeHint(QSize(0, fontMetrics().height() * 2 + 18));

  const int position = static_cast<int>(m_views.size());
  auto* action = new QAction(view->icon(), view->title(), m_viewActions);
  action->setCheckable(true);
  action->setData(view->key());
  if (position <= 9) action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + position)));
  m_viewMenu->insertAction(m_viewSeparator, action);
  connect(action, &QAction::triggered, this, [this, key = view->key()] { setCurrentView(key); });

  connect(view, &StudioView::formulaChanged, this, [this, view] {
    if (view == currentView()) queueFormula();
  });
  connect(view, &StudioView::statusMessage, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
}

StudioView* MainWindow::currentView() const {
  return qobject_cast<StudioView*>(m_stack->currentWidget());
}

QString MainWindow::currentViewKey() const {
  StudioView* view = currentView();
  return view ? view->key() : QString();
}

bool MainWindow::setCurrentView(const QString& key) {
  for (std::size_t i = 0; i < m_views.size(); ++i) {
    if (m_views[i]->key() == key) {
      m_sidebar->setCurrentRow(static_cast<int>(i));
      return true;
    }
  }
  return false;
}

void MainWindow::onViewChanged(int row) {
  if (row < 0 || row >= static_cast<int>(m_views.size())) return;
  StudioView* view = m_views[static_cast<std::size_t>(row)];
  m_stack->setCurrentWidget(view);
  for (QAction* action : m_viewActions->actions())
    action->setChecked(action->data().toString() == view->key());
  m_exportTable->setEnabled(view == m_scheduleView);
  m_newNoise->setEnabled(view == m_forwardView);
  updateStatus();
  refreshFormula();
}

void MainWindow::queueFormula() {
  if (m_formulaPending) return;
  m_formulaPending = true;
  QTimer::singleShot(0, this, &MainWindow::refreshFormula);
}

void MainWindow::refreshFormula() {
  m_formulaPending = false;
  if (StudioView* view = currentView()) m_formula->setHtml(view->formulaHtml());
}

void MainWindow::updateStatus() {
  // The shared t and the edited schedule belong to the Schedule and Forward views; the
  // others show a model's own schedule, so the line would only mislead there.
  m_statusT->setText(tr("t = %1 (0 … %2)   ·   %3").arg(m_cursor->t()).arg(m_cursor->last()).arg(m_schedule->describe()));
  const StudioView* view = currentView();
  m_statusT->setVisible(view == m_scheduleView || view == m_forwardView);
}

QString MainWindow::statusText() const {
  return m_statusT->text();
}

void MainWindow::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList files = m_recent->files();
  for (int i = 0; i < files.size(); ++i) {
    const QString& path = files.at(i);
    const QString label = QStringLiteral("&%1  %2").arg(i + 1).arg(QFileInfo(path).fileName());
    QAction* action = m_recentMenu->addAction(label, this, [this, path] {
      const QString error = openFile(path);
      if (!error.isEmpty()) reportError(tr("Could not open"), error);
    });
    action->setToolTip(path);
    action->setStatusTip(path);
  }
  if (files.isEmpty()) {
    m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
  } else {
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear list"), m_recent, &RecentFiles::clear);
  }
}

QString MainWindow::openFile(const QString& path) {
  const QFileInfo info(path);
  if (!info.isFile()) {
    m_recent->remove(path);
    return tr("'%1' no longer exists; it was removed from the recent files.").arg(path);
  }
  if (info.suffix().compare(QStringLiteral("safetensors"), Qt::CaseInsensitive) == 0) return loadCheckpointFile(path);
  if (kImageSuffixes.contains(info.suffix().toLower())) {
    QString error;
    setCurrentView(m_forwardView->key());
    if (!m_forwardView->loadImage(path, &error)) return tr("Could not open the image '%1': %2").arg(path, error);
    return {};
  }
  setCurrentView(m_scheduleView->key());
  const QString error = m_scheduleView->editor()->loadBetasFile(path);
  if (!error.isEmpty()) return tr("Could not read the β schedule '%1': %2").arg(path, error);
  return {};
}

void MainWindow::openBetasFileInteractive() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a β schedule file"), QString(),
                                                    tr("β schedules (*.txt *.csv *.dat);;All files (*)"));
  if (path.isEmpty()) return;
  setCurrentView(m_scheduleView->key());
  const QString error = m_scheduleView->editor()->loadBetasFile(path);
  if (!error.isEmpty()) reportError(tr("Could not read the β schedule"), error);
}

void MainWindow::openImageInteractive() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open an image"), QString(),
      tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.pgm *.ppm);;All files (*)"));
  if (path.isEmpty()) return;
  const QString error = openFile(path);
  if (!error.isEmpty()) reportError(tr("Could not open the image"), error);
}

void MainWindow::openCheckpointInteractive() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a checkpoint"), QFileInfo(m_model->path()).path(),
                                                    tr("DDPM Studio checkpoints (*.safetensors);;All files (*)"));
  if (!path.isEmpty()) openCheckpoint(path);
}

void MainWindow::saveCheckpointInteractive() {
  if (!m_model->isLoaded()) return;
  const QString path = askSavePath(this, tr("Save checkpoint as"), m_model->path(), SavedFile::Checkpoint);
  if (path.isEmpty()) return;
  saveCheckpointAs(path);
}

bool MainWindow::openCheckpoint(const QString& path) {
  const QString error = loadCheckpointFile(path);
  if (error.isEmpty()) return true;
  reportError(tr("Could not open the checkpoint"), error);
  return false;
}

// Everything that can fail (reading, checking, the schedule) happens before anything
// changes, so a bad file leaves the window as it was.
QString MainWindow::loadCheckpointFile(const QString& path) {
  auto data = std::make_unique<CheckpointData>();
  QApplication::setOverrideCursor(Qt::WaitCursor);  // a few MB: fast enough for the GUI thread
  try {
    *data = load_checkpoint(path.toStdString());
  } catch (const std::exception& e) {  // ddpm::Error, or anything torch throws on a hostile file
    QApplication::restoreOverrideCursor();
    return QString::fromStdString(e.what());
  }
  QApplication::restoreOverrideCursor();

  const QString scheduleError = m_schedule->trySetSpec(data->schedule);
  if (!scheduleError.isEmpty())
    return tr("The schedule in '%1' cannot be used: %2").arg(QFileInfo(path).fileName(), scheduleError);

  QString forwardSource;
  try {
    const DataSpec spec = parse_data_spec(data->data_spec);
    if (spec.source == "fashion-mnist" || spec.is_toy_2d()) forwardSource = QString::fromStdString(spec.source);
  } catch (const std::exception&) {
    // A data spec this build does not know: the Forward view keeps what it shows.
  }

  m_model->set(std::move(data), QFileInfo(path).absoluteFilePath());
  if (!forwardSource.isEmpty() && forwardSource != m_forwardView->source()) m_forwardView->setSource(forwardSource);
  m_recent->add(path);
  statusBar()->showMessage(tr("Loaded %1: %2").arg(m_model->fileName(), m_model->summary()), 8000);
  return {};
}

QString MainWindow::openStartupModel() {
  QStringList candidates;
  if (m_mode == SettingsMode::Persistent) {
    const QString last = QSettings().value(QStringLiteral("model/path")).toString();
    if (!last.isEmpty()) candidates << last;
  }
  try {
    candidates << QString::fromStdString(resolve_checkpoint(kStartupCheckpointName));
  } catch (const std::exception&) {
    // Not installed with the shipped checkpoints: the window starts without a model.
  }
  for (const QString& path : candidates) {
    if (QFileInfo(path).isFile() && loadCheckpointFile(path).isEmpty()) return path;
  }
  statusBar()->showMessage(
      tr("No pretrained model found: open a checkpoint (File ▸ Open checkpoint…) or train one."), 10000);
  return {};
}

bool MainWindow::saveCheckpointAs(const QString& path) {
  if (!m_model->isLoaded()) {
    reportError(tr("Checkpoint not saved"), tr("There is no model to save: open a checkpoint first."));
    return false;
  }
  const CheckpointData& data = m_model->data();
  WeightPrecision precision = WeightPrecision::Float32;
  if (data.weights_dtype == "F16") precision = WeightPrecision::Float16;
  else if (data.weights_dtype == "BF16") precision = WeightPrecision::BFloat16;
  QApplication::setOverrideCursor(Qt::WaitCursor);
  try {
    save_checkpoint(path.toStdString(), data, precision);  // atomic: old file or new, never a mix
  } catch (const std::exception& e) {
    QApplication::restoreOverrideCursor();
    reportError(tr("Checkpoint not saved"), QString::fromStdString(e.what()));
    return false;
  }
  QApplication::restoreOverrideCursor();
  m_model->setPath(QFileInfo(path).absoluteFilePath());
  m_recent->add(path);
  statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
  return true;
}

void MainWindow::reportError(const QString& title, const QString& message) {
  emit errorReported(title, message);
  if (m_errorDialogs) QMessageBox::warning(this, title, message);
}

void MainWindow::updateTitle() {
  if (m_model->isLoaded()) setWindowTitle(tr("%1 — DDPM Studio").arg(m_model->fileName()));
  else setWindowTitle(tr("DDPM Studio"));
}

void MainWindow::exportImageInteractive() {
  StudioView* view = currentView();
  if (!view) return;
  const QString path = askSavePath(this, tr("Export image"), view->exportImageName(), SavedFile::Png, inputFiles());
  if (path.isEmpty()) return;
  QString error;
  if (view->exportImage(path, &error)) statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
  else reportError(tr("Image not saved"), error);
}

QStringList MainWindow::inputFiles() const {
  return {m_model->path(), m_forwardView->imagePath()};
}

void MainWindow::exportTableInteractive() {
  const QString path =
      askSavePath(this, tr("Export schedule table"), QStringLiteral("schedule.csv"), SavedFile::Csv, inputFiles());
  if (path.isEmpty()) return;
  QString error;
  if (m_scheduleView->exportTable(path, &error)) statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
  else reportError(tr("Table not saved"), error);
}

void MainWindow::showAbout() {
  QMessageBox::about(
      this, tr("About DDPM Studio"),
      tr("<h3>DDPM Studio %1</h3>"
         "<p>See how denoising diffusion models work: edit the noise schedule, scrub t and watch data dissolve "
         "into Gaussian noise.</p>"
         "<p>Based on Ho, Jain &amp; Abbeel, <i>Denoising Diffusion Probabilistic Models</i>, NeurIPS 2020; the "
         "cosine schedule is from Nichol &amp; Dhariwal, <i>Improved DDPM</i>, 2021.</p>"
         "<p>Built with Qt %2, LibTorch and QCustomPlot.</p>")
          .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::showMaths() {
  auto* dialog = new MathsDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
}

void MainWindow::setTextScale(double scale) {
  scale = std::clamp(scale, 0.7, 2.5);
  m_textScale = scale;
  QFont font = QApplication::font();
  font.setPointSizeF(m_baseFontPoints * scale);
  QApplication::setFont(font);
}

QString MainWindow::applyOptions(const StudioOptions& options) {
  if (options.schedule) {
    const QString error = m_schedule->trySetSpec(*options.schedule);
    if (!error.isEmpty()) return error;
  }
  if (!options.compare.isEmpty()) {
    ScheduleSpec compare = m_scheduleView->compareModel()->spec();
    try {
      compare.kind = schedule_kind_from_string(options.compare.toStdString());
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
    compare.steps = m_schedule->spec().kind == ScheduleKind::Custom ? compare.steps : m_schedule->spec().steps;
    const QString error = m_scheduleView->compareModel()->trySetSpec(compare);
    if (!error.isEmpty()) return error;
    m_scheduleView->setCompareEnabled(true);
  }
  if (options.noiseSeed) m_forwardView->setNoiseSeed(*options.noiseSeed);
  if (!options.data.isEmpty() && !m_forwardView->setSource(options.data)) return m_forwardView->message();
  if (!options.image.isEmpty()) {
    QString error;
    if (!m_forwardView->loadImage(options.image, &error)) return error;
  }
  if (!options.images.isEmpty()) {
    QString error;
    if (!m_forwardView->setImageIndices(options.images, &error)) return error;
  }
  if (options.t) {
    if (*options.t > m_cursor->last())
      return tr("--t must be at most T − 1 = %1, got %2").arg(m_cursor->last()).arg(*options.t);
    m_cursor->setT(*options.t);
  }
  if (!options.checkpoint.isEmpty()) {
    QString path = options.checkpoint;
    try {
      path = QString::fromStdString(resolve_checkpoint(path.toStdString()));  // a path, or a shipped name
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
    const QString error = loadCheckpointFile(path);
    if (!error.isEmpty()) return error;
  }
  if (options.sample) {
    const QString error = m_samplingView->applyOptions(options);
    if (!error.isEmpty()) return error;
  }
  if (options.train || options.view == m_trainingView->key()) {
    if (!options.data.isEmpty()) m_trainingView->form()->setDataSpec(options.data);
    if (!options.model.isEmpty()) m_trainingView->form()->setModel(options.model);
    TrainingForm* form = m_trainingView->form();
    if (!options.objective.isEmpty()) form->objectiveBox()->setCurrentIndex(form->objectiveBox()->findData(options.objective));
    if (!options.loss.isEmpty()) form->lossBox()->setCurrentIndex(form->lossBox()->findData(options.loss));
  }
  if (options.train) {
    if (!options.trainResume.isEmpty()) {
      QString error;
      if (!m_trainingView->form()->setResumeCheckpoint(options.trainResume, &error)) return error;
    }
    if (options.trainSteps) m_trainingView->form()->setTotalSteps(*options.trainSteps);
    // A scripted run (a screenshot) must not wait for a person when it closes.
    if (!options.screenshot.isEmpty()) m_trainingClosePolicy = TrainingClosePolicy::StopAndSave;
    QStringList problems;  // checked here so that a bad option is a message on stderr, not a dialog
    if (!m_trainingView->form()->readConfig(nullptr, &problems)) return problems.join(QLatin1Char(' '));
    m_trainingView->start();
  }
  if (options.lossHeatmap) m_trainingView->lossByTTabs()->setCurrentWidget(m_trainingView->lossHeatmap());
  {
    const QString error = m_evaluateView->applyOptions(options);
    if (!error.isEmpty()) return error;
  }
  if (!options.view.isEmpty()) setCurrentView(options.view);
  if (options.size.isValid()) resize(options.size);
  if (options.play) m_playback->play();
  return {};
}

bool MainWindow::saveScreenshot(const QString& path, QString* error) {
  if (auto* forward = qobject_cast<ForwardView*>(currentView())) forward->refreshNow();
  return writePng(grab().toImage(), path, error);
}

void MainWindow::saveSettings() {
  if (m_mode != SettingsMode::Persistent) return;
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("window/view"), currentViewKey());
  settings.setValue(QStringLiteral("window/textScale"), m_textScale);
  settings.setValue(QStringLiteral("cursor/t"), m_cursor->t());
  ScheduleModel::saveSpec(settings, QStringLiteral("schedule"), m_schedule->spec());
  for (StudioView* view : m_views) view->saveState(settings);
  m_recent->save(settings);
  settings.setValue(QStringLiteral("model/path"), m_model->isLoaded() ? m_model->path() : QString());
}

void MainWindow::restoreSettings() {
  QSettings settings;
  m_recent->load(settings);
  ScheduleSpec spec;
  QString error;
  if (ScheduleModel::loadSpec(settings, QStringLiteral("schedule"), &spec, &error)) {
    m_schedule->trySetSpec(spec);
  } else if (settings.contains(QStringLiteral("schedule/kind"))) {
    statusBar()->showMessage(tr("The saved schedule could not be restored (%1); using the paper's.").arg(error), 8000);
  }
  for (StudioView* view : m_views) view->restoreState(settings);
  m_cursor->setT(settings.value(QStringLiteral("cursor/t"), 0).toInt());
  const double scale = settings.value(QStringLiteral("window/textScale"), 1.0).toDouble();
  if (scale != m_textScale) setTextScale(scale);
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  setCurrentView(settings.value(QStringLiteral("window/view"), m_views.front()->key()).toString());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QString error = openFile(url.toLocalFile());
    if (!error.isEmpty()) reportError(tr("Could not open"), error);
    event->acceptProposedAction();
    return;  // one file at a time: the last one would win anyway
  }
}

void MainWindow::retrainWithSchedule() {
  QString data, preset;
  if (m_model->isLoaded()) {  // the model on show: retrain it with the new schedule
    data = QString::fromStdString(m_model->data().data_spec);
    preset = QString::fromStdString(m_model->data().model.preset);
  }
  m_trainingView->prepareRetrain(data, preset);
  setCurrentView(m_trainingView->key());
}

bool MainWindow::stopTrainingForClose() {
  TrainingClosePolicy policy = m_trainingClosePolicy;
  if (policy == TrainingClosePolicy::Ask) {
    QMessageBox box(QMessageBox::Question, tr("Training is running"),
                    tr("A model is being trained. Stop it and save its checkpoint, or keep the window open?"),
                    QMessageBox::NoButton, this);
    QPushButton* stop = box.addButton(tr("Stop and save"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(stop);
    box.exec();
    policy = box.clickedButton() == stop ? TrainingClosePolicy::StopAndSave : TrainingClosePolicy::Cancel;
  }
  if (policy == TrainingClosePolicy::Cancel) return false;
  statusBar()->showMessage(tr("Stopping the training and saving its checkpoint…"));
  QApplication::setOverrideCursor(Qt::WaitCursor);
  m_trainingView->stopAndWait();  // the step in progress, then the save
  QApplication::restoreOverrideCursor();
  return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (m_trainingView->isTraining() && !stopTrainingForClose()) {
    event->ignore();
    return;
  }
  // A sampling run stops before its next step; the view's session joins its thread
  // when the window is destroyed, so closing never waits for a whole run.
  if (m_samplingView->isSampling()) m_samplingView->stopSampling();
  m_playback->pause();
  saveSettings();
  event->accept();
}

}  // namespace ddpm::ui
