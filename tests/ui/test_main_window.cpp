// The DDPM Studio window: one shared timestep across views, view switching, keyboard
// shortcuts, the formula panel, recent files, command-line options and settings that
// survive a restart (in a temporary settings folder, never the user's), and checkpoints
// opened and saved from the File menu.
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/models/denoiser.h"
#include "core/schedule/noise_schedule.h"

#include "ui/shared/current_model.h"

#include "ui/window/main_window.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/playback.h"
#include "ui/window/recent_files.h"
#include "ui/shared/schedule_model.h"
#include "ui/window/studio_options.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/forward/forward_view.h"
#include "ui/schedule/schedule_view.h"
#include "ui/shared/formula_panel.h"
#include "ui/schedule/schedule_chart.h"
#include "ui/schedule/schedule_editor.h"
#include "ui/schedule/schedule_readout.h"
#include "ui/shared/timestep_bar.h"

#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

// A tiny 2D model as a checkpoint: the MLP preset, cosine schedule with T = 50, "moons".
CheckpointData tinyCheckpoint() {
  torch::manual_seed(3);
  const Denoiser model = make_denoiser(model_preset("mlp", {2}));
  CheckpointData d;
  d.model = model->config();
  d.schedule.kind = ScheduleKind::Cosine;
  d.schedule.steps = 50;
  d.data_spec = "moons";
  d.normalisation = Normalisation::identity(2);
  d.sample_shape = {2};
  d.step = 321;
  d.weights = named_weights(*model);
  return d;
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void newWindow_hasTitleAndTheTwoViews();
  void sidebarMenuAndShortcut_switchViews();
  void sliderInForwardView_movesTEverywhere();
  void pressOnScheduleChart_movesForwardSlider();
  void arrowHomeEndPageKeys_stepTheSharedT();
  void space_playsAndPausesT();
  void shorterSchedule_clampsTInEveryView();
  void formulaPanel_showsEq4WithCurrentNumbers();
  void settings_surviveARestart();
  void brokenSavedSchedule_fallsBackToPaperSchedule();
  void freshMode_neitherReadsNorWritesSettings();
  void recentFiles_openBothKindsAndForgetMissingOnes();
  void recentFiles_keepNewestFirstWithoutDuplicates();
  void commandLine_parsesAndAppliesOptions();
  void commandLine_refusesBadValuesWithReason_data();
  void commandLine_refusesBadValuesWithReason();
  void textScale_growsFonts();
  void screenshotAndExports_writePngs();
  void openCheckpoint_takesItsScheduleDataAndName();
  void saveCheckpointAs_writesTheSameModelInItsPrecision();
  void openCorruptCheckpoint_reportsErrorAndChangesNothing();
  void startupModel_isTheLastOneElseTheShippedOne();

 private:
  QTemporaryDir m_settingsDir;
  QTemporaryDir m_files;
};

void TestMainWindow::initTestCase() {
  QVERIFY(m_settingsDir.isValid());
  test::isolateSettings(m_settingsDir);
}

void TestMainWindow::init() {
  QSettings().clear();
}

void TestMainWindow::newWindow_hasTitleAndTheTwoViews() {
  MainWindow window;
  QCOMPARE(window.windowTitle(), QStringLiteral("DDPM Studio"));
  QCOMPARE(window.sidebar()->count(), static_cast<int>(window.views().size()));
  QVERIFY(window.views().size() >= 3);  // schedule, forward, then the model views (sampling, …)
  QVERIFY(std::any_of(window.views().begin(), window.views().end(),
                      [](StudioView* v) { return v->key() == QStringLiteral("sampling"); }));
  QCOMPARE(window.views()[0]->key(), QStringLiteral("schedule"));
  QCOMPARE(window.views()[1]->key(), QStringLiteral("forward"));
  QCOMPARE(window.currentViewKey(), QStringLiteral("schedule"));
  QCOMPARE(window.cursor()->steps(), 1000);
  QVERIFY(!window.windowIcon().isNull());
}

void TestMainWindow::sidebarMenuAndShortcut_switchViews() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&window));

  window.sidebar()->setCurrentRow(1);
  QCOMPARE(window.currentViewKey(), QStringLiteral("forward"));
  QVERIFY(window.forwardView()->isVisible());
  QVERIFY(!window.scheduleView()->isVisible());

  QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
  QCOMPARE(window.currentViewKey(), QStringLiteral("schedule"));
  QCOMPARE(window.sidebar()->currentRow(), 0);

  QAction* forwardAction = nullptr;
  for (QAction* a : window.findChildren<QAction*>())
    if (a->data().toString() == QLatin1String("forward")) forwardAction = a;
  QVERIFY(forwardAction);
  forwardAction->trigger();
  QCOMPARE(window.currentViewKey(), QStringLiteral("forward"));
  QVERIFY(forwardAction->isChecked());
  QVERIFY(!window.setCurrentView(QStringLiteral("no-such-view")));  // not a view
  QCOMPARE(window.currentViewKey(), QStringLiteral("forward"));
}

void TestMainWindow::sliderInForwardView_movesTEverywhere() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setCurrentView(QStringLiteral("forward"));
  QSignalSpy spy(window.cursor(), &TimestepCursor::tChanged);
  window.forwardView()->timestepBar()->slider()->setValue(321);
  QCOMPARE(window.cursor()->t(), 321);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(window.scheduleView()->timestepBar()->slider()->value(), 321);
  QCOMPARE(window.scheduleView()->timestepBar()->spinBox()->value(), 321);
  QCOMPARE(window.forwardView()->timestepBar()->spinBox()->value(), 321);
  QCOMPARE(window.scheduleView()->chart()->cursorT(), 321);
  QVERIFY(window.statusText().contains(QStringLiteral("t = 321 (0 … 999)")));
  // The shared t is shown where it acts (Schedule, Forward), not beside a model's views.
  auto* statusT = window.findChild<QLabel*>(QStringLiteral("statusTimestep"));
  QVERIFY(statusT && statusT->isVisibleTo(&window));
  window.setCurrentView(QStringLiteral("sampling"));
  QVERIFY(!statusT->isVisibleTo(&window));
  window.setCurrentView(QStringLiteral("schedule"));
  QVERIFY(statusT->isVisibleTo(&window));

  // And back through the other view's spin box.
  window.scheduleView()->timestepBar()->spinBox()->setValue(77);
  QCOMPARE(window.forwardView()->timestepBar()->slider()->value(), 77);
}

void TestMainWindow::pressOnScheduleChart_movesForwardSlider() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.resize(1200, 800);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  ScheduleChart* chart = window.scheduleView()->chart();
  chart->plot()->replot();
  QCPAxisRect* rect = chart->panel(SchedulePanel::Scales);
  const int x = static_cast<int>(rect->axis(QCPAxis::atBottom)->coordToPixel(600));
  const QPoint at(x, rect->rect().center().y());
  QTest::mousePress(chart->plot(), Qt::LeftButton, {}, at);
  QTest::mouseRelease(chart->plot(), Qt::LeftButton, {}, at);
  QVERIFY2(std::abs(window.cursor()->t() - 600) <= 1, qPrintable(QString::number(window.cursor()->t())));
  QCOMPARE(window.forwardView()->timestepBar()->slider()->value(), window.cursor()->t());
}

void TestMainWindow::arrowHomeEndPageKeys_stepTheSharedT() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.show();
  window.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&window));
  window.setFocus();
  window.cursor()->setT(500);
  QTest::keyClick(&window, Qt::Key_Right);
  QCOMPARE(window.cursor()->t(), 501);
  QTest::keyClick(&window, Qt::Key_Left);
  QTest::keyClick(&window, Qt::Key_Left);
  QCOMPARE(window.cursor()->t(), 499);
  QTest::keyClick(&window, Qt::Key_Right, Qt::ShiftModifier);
  QCOMPARE(window.cursor()->t(), 509);
  QTest::keyClick(&window, Qt::Key_PageDown);
  QCOMPARE(window.cursor()->t(), 609);
  QTest::keyClick(&window, Qt::Key_End);
  QCOMPARE(window.cursor()->t(), 999);
  QTest::keyClick(&window, Qt::Key_Right);  // clamped at T − 1
  QCOMPARE(window.cursor()->t(), 999);
  QTest::keyClick(&window, Qt::Key_Home);
  QCOMPARE(window.cursor()->t(), 0);
  QCOMPARE(window.scheduleView()->timestepBar()->slider()->value(), 0);

  // In a text field the arrows edit the text instead of moving t.
  QLineEdit* steps = window.scheduleView()->editor()->stepsEdit();
  steps->setFocus();
  steps->setCursorPosition(0);
  QTest::keyClick(steps, Qt::Key_Right);
  QCOMPARE(steps->cursorPosition(), 1);
  QCOMPARE(window.cursor()->t(), 0);
}

void TestMainWindow::space_playsAndPausesT() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.show();
  window.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&window));
  window.setFocus();
  window.playback()->setSweepSeconds(1.0);
  window.cursor()->setT(100);
  QTest::keyClick(&window, Qt::Key_Space);
  QVERIFY(window.playback()->isPlaying());
  QTRY_VERIFY_WITH_TIMEOUT(window.cursor()->t() > 150, 3000);
  QTest::keyClick(&window, Qt::Key_Space);
  QVERIFY(!window.playback()->isPlaying());
  const int stopped = window.cursor()->t();
  QTest::qWait(80);
  QCOMPARE(window.cursor()->t(), stopped);

  // Played to the end it stops at T − 1 by itself.
  window.cursor()->setT(950);
  window.playback()->play();
  QTRY_VERIFY_WITH_TIMEOUT(!window.playback()->isPlaying(), 3000);
  QCOMPARE(window.cursor()->t(), 999);
}

void TestMainWindow::shorterSchedule_clampsTInEveryView() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.cursor()->setT(900);
  ScheduleSpec spec;
  spec.steps = 500;
  QVERIFY(window.scheduleModel()->trySetSpec(spec).isEmpty());
  QCOMPARE(window.cursor()->steps(), 500);
  QCOMPARE(window.cursor()->t(), 499);
  for (StudioView* view : window.views()) {
    QSlider* slider = view == window.scheduleView() ? window.scheduleView()->timestepBar()->slider()
                                                    : window.forwardView()->timestepBar()->slider();
    QCOMPARE(slider->maximum(), 499);
    QCOMPARE(slider->value(), 499);
  }
  QVERIFY(window.statusText().contains(QStringLiteral("T = 500")));
}

void TestMainWindow::formulaPanel_showsEq4WithCurrentNumbers() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setCurrentView(QStringLiteral("forward"));
  window.forwardView()->setSource(QStringLiteral("swissroll"));
  window.cursor()->setT(100);
  QCoreApplication::processEvents();
  const NoiseSchedule& s = window.scheduleModel()->schedule();
  QString text = window.formulaPanel()->plainText();
  QVERIFY2(text.contains(QStringLiteral("xₜ = √ᾱₜ x₀ + √(1 − ᾱₜ) ε")), qPrintable(text));
  QVERIFY2(text.contains(formatNumber(s.sqrt_alpha_bar[100])), qPrintable(text));
  QVERIFY(text.contains(formatNumber(s.sqrt_one_minus_alpha_bar[100])));
  QVERIFY(text.contains(QStringLiteral("eq. 4")));

  window.cursor()->setT(700);
  QCoreApplication::processEvents();
  text = window.formulaPanel()->plainText();
  QVERIFY(text.contains(formatNumber(s.sqrt_alpha_bar[700])));
  QVERIFY(!text.contains(formatNumber(s.sqrt_alpha_bar[100])));

  window.setCurrentView(QStringLiteral("schedule"));
  QCoreApplication::processEvents();
  text = window.formulaPanel()->plainText();
  QVERIFY2(text.contains(QStringLiteral("βₜ = ") + formatNumber(s.beta[700])), qPrintable(text));
  QVERIFY(text.contains(QStringLiteral("eq. 7")));
}

void TestMainWindow::settings_surviveARestart() {
  const QString recent = m_files.filePath(QStringLiteral("betas.txt"));
  test::writeText(recent, "0.001\n0.002\n");
  {
    MainWindow window;
    ScheduleSpec cosine;
    cosine.kind = ScheduleKind::Cosine;
    cosine.steps = 400;
    QVERIFY(window.scheduleModel()->trySetSpec(cosine).isEmpty());
    window.cursor()->setT(123);
    window.setCurrentView(QStringLiteral("forward"));
    ScheduleSpec quadratic;
    quadratic.kind = ScheduleKind::Quadratic;
    QVERIFY(window.scheduleView()->compareModel()->trySetSpec(quadratic).isEmpty());
    window.scheduleView()->setCompareEnabled(true);
    window.scheduleView()->readout()->toggle(ScheduleSeries::LogSnr)->click();
    window.scheduleView()->logScaleBox()->click();  // a choice of the user's: kept
    const bool logChoice = window.scheduleView()->logScaleBox()->isChecked();
    QVERIFY(window.forwardView()->setSource(QStringLiteral("moons")));
    window.forwardView()->setNoiseSeed(5);
    window.recentFiles()->add(recent);
    window.setTextScale(1.2);
    window.resize(1000, 700);
    QVERIFY(window.close());
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("scheduleView/logVariances")).toBool(), logChoice);
  }
  MainWindow restored;
  QCOMPARE(restored.scheduleModel()->spec().kind, ScheduleKind::Cosine);
  QCOMPARE(restored.scheduleModel()->steps(), 400);
  QCOMPARE(restored.cursor()->steps(), 400);
  QCOMPARE(restored.cursor()->t(), 123);
  QCOMPARE(restored.currentViewKey(), QStringLiteral("forward"));
  QVERIFY(restored.scheduleView()->compareEnabled());
  QCOMPARE(restored.scheduleView()->compareModel()->spec().kind, ScheduleKind::Quadratic);
  QVERIFY(!restored.scheduleView()->chart()->isSeriesVisible(ScheduleSeries::LogSnr));
  QVERIFY(restored.scheduleView()->chart()->isSeriesVisible(ScheduleSeries::Beta));
  QCOMPARE(restored.forwardView()->source(), QStringLiteral("moons"));
  QCOMPARE(restored.forwardView()->noiseSeed(), std::uint64_t(5));
  QCOMPARE(restored.recentFiles()->files(), QStringList{QFileInfo(recent).absoluteFilePath()});
  QVERIFY(std::abs(restored.textScale() - 1.2) < 1e-9);
  QCOMPARE(restored.size(), QSize(1000, 700));
  restored.setTextScale(1.0);
}

void TestMainWindow::brokenSavedSchedule_fallsBackToPaperSchedule() {
  {
    QSettings settings;
    settings.setValue(QStringLiteral("schedule/kind"), QStringLiteral("wobbly"));
    settings.setValue(QStringLiteral("cursor/t"), 5000);
    settings.setValue(QStringLiteral("window/view"), QStringLiteral("no-such-view"));
    settings.setValue(QStringLiteral("forwardView/source"), QStringLiteral("nonsense"));
  }
  MainWindow window;
  QCOMPARE(window.scheduleModel()->spec(), ScheduleSpec{});
  QCOMPARE(window.cursor()->t(), 999);  // clamped, not refused
  QCOMPARE(window.currentViewKey(), QStringLiteral("schedule"));
  QCOMPARE(window.forwardView()->source(), QStringLiteral("fashion-mnist"));
  QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("could not be restored")));
}

void TestMainWindow::freshMode_neitherReadsNorWritesSettings() {
  {
    QSettings settings;
    settings.setValue(QStringLiteral("cursor/t"), 42);
  }
  MainWindow window(MainWindow::SettingsMode::Fresh);
  QCOMPARE(window.cursor()->t(), 0);
  window.cursor()->setT(7);
  window.close();
  QCOMPARE(QSettings().value(QStringLiteral("cursor/t")).toInt(), 42);
}

void TestMainWindow::recentFiles_openBothKindsAndForgetMissingOnes() {
  const QString betas = m_files.filePath(QStringLiteral("my_betas.txt"));
  const QString image = m_files.filePath(QStringLiteral("red.png"));
  test::writeText(betas, "# a short schedule\n0.01\n0.02\n0.05\n0.1\n0.2\n0.5\n");
  test::writeSolidPng(image, 40, 30, QColor(255, 0, 0));

  MainWindow window;
  QVERIFY2(window.openFile(betas).isEmpty(), qPrintable(window.openFile(betas)));
  QCOMPARE(window.currentViewKey(), QStringLiteral("schedule"));
  QCOMPARE(window.scheduleModel()->spec().kind, ScheduleKind::Custom);
  QCOMPARE(window.scheduleModel()->steps(), 6);
  QVERIFY(window.openFile(image).isEmpty());
  QCOMPARE(window.currentViewKey(), QStringLiteral("forward"));
  QCOMPARE(window.forwardView()->source(), QStringLiteral("image"));
  const QStringList expected = {QFileInfo(image).absoluteFilePath(), QFileInfo(betas).absoluteFilePath()};
  QCOMPARE(window.recentFiles()->files(), expected);
  QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList(), expected);  // saved at once

  const QList<QAction*> actions = window.recentMenu()->actions();
  QVERIFY(actions.size() >= 2);
  QVERIFY(actions[0]->text().contains(QStringLiteral("red.png")));
  QVERIFY(actions[1]->text().contains(QStringLiteral("my_betas.txt")));

  QVERIFY(QFile::remove(betas));
  const QString error = window.openFile(betas);
  QVERIFY(error.contains(QStringLiteral("no longer exists")));
  QCOMPARE(window.recentFiles()->files(), QStringList{QFileInfo(image).absoluteFilePath()});
  QCOMPARE(window.scheduleModel()->steps(), 6);  // nothing else changed
}

void TestMainWindow::recentFiles_keepNewestFirstWithoutDuplicates() {
  RecentFiles recent(nullptr, 3);
  QSignalSpy spy(&recent, &RecentFiles::changed);
  for (const char* name : {"/a", "/b", "/c", "/b", "/d"}) recent.add(QString::fromLatin1(name));
  QCOMPARE(recent.files(), (QStringList{QStringLiteral("/d"), QStringLiteral("/b"), QStringLiteral("/c")}));
  QCOMPARE(spy.count(), 5);
  QSettings settings;
  recent.save(settings);
  RecentFiles loaded(nullptr, 3);
  loaded.load(settings);
  QCOMPARE(loaded.files(), recent.files());
  recent.clear();
  QVERIFY(recent.files().isEmpty());
}

void TestMainWindow::commandLine_parsesAndAppliesOptions() {
  const auto parsed = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--view"), QStringLiteral("forward"),
                                          QStringLiteral("--t"), QStringLiteral("42"), QStringLiteral("--schedule"),
                                          QStringLiteral("cosine"), QStringLiteral("--steps"), QStringLiteral("500"),
                                          QStringLiteral("--compare"), QStringLiteral("linear"), QStringLiteral("--data"),
                                          QStringLiteral("moons"), QStringLiteral("--noise-seed"), QStringLiteral("3"),
                                          QStringLiteral("--size"), QStringLiteral("1100x700"), QStringLiteral("--fresh")});
  QCOMPARE(parsed.action, StudioOptionsResult::Action::Run);
  QVERIFY(parsed.options.fresh);
  MainWindow window(MainWindow::SettingsMode::Fresh);
  QVERIFY(window.applyOptions(parsed.options).isEmpty());
  QCOMPARE(window.currentViewKey(), QStringLiteral("forward"));
  QCOMPARE(window.cursor()->t(), 42);
  QCOMPARE(window.scheduleModel()->spec().kind, ScheduleKind::Cosine);
  QCOMPARE(window.scheduleModel()->steps(), 500);
  QVERIFY(window.scheduleView()->compareEnabled());
  QCOMPARE(window.scheduleView()->compareModel()->spec().kind, ScheduleKind::Linear);
  QCOMPARE(window.forwardView()->source(), QStringLiteral("moons"));
  QCOMPARE(window.forwardView()->noiseSeed(), std::uint64_t(3));
  QCOMPARE(window.size(), QSize(1100, 700));

  // A t beyond this schedule's T is refused when applied.
  auto late = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--t"), QStringLiteral("600")});
  QCOMPARE(late.action, StudioOptionsResult::Action::Run);
  QVERIFY(window.applyOptions(late.options).contains(QStringLiteral("at most")));
  QCOMPARE(window.cursor()->t(), 42);

  const auto help = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--help")});
  QCOMPARE(help.action, StudioOptionsResult::Action::Help);
  QVERIFY(help.text.contains(QStringLiteral("--screenshot")));
  for (const char* part : {"schedule", "forward process", "training", "sampling", "A/B", "variational bound"})
    QVERIFY2(help.text.section(QLatin1Char('\n'), 1, 3).contains(QLatin1String(part)), part);  // the summary names every view
}

void TestMainWindow::commandLine_refusesBadValuesWithReason_data() {
  QTest::addColumn<QStringList>("arguments");
  QTest::addColumn<QString>("reason");
  QTest::newRow("negative t") << QStringList{QStringLiteral("--t"), QStringLiteral("-1")} << QStringLiteral("--t");
  QTest::newRow("unknown kind") << QStringList{QStringLiteral("--schedule"), QStringLiteral("wobbly")}
                                << QStringLiteral("unknown schedule kind");
  QTest::newRow("beta out of range") << QStringList{QStringLiteral("--beta-start"), QStringLiteral("0")}
                                     << QStringLiteral("beta_start must be a number in (0, 1)");
  QTest::newRow("missing betas file") << QStringList{QStringLiteral("--betas-file"), QStringLiteral("/no/such/file")}
                                      << QStringLiteral("/no/such/file");
  QTest::newRow("bad view") << QStringList{QStringLiteral("--view"), QStringLiteral("no-such-view")} << QStringLiteral("--view");
  QTest::newRow("bad data") << QStringList{QStringLiteral("--data"), QStringLiteral("mnist")} << QStringLiteral("--data");
  QTest::newRow("bad size") << QStringList{QStringLiteral("--size"), QStringLiteral("10x10")} << QStringLiteral("--size");
  QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
  QTest::newRow("negative class") << QStringList{QStringLiteral("--class"), QStringLiteral("-1")} << QStringLiteral("--class");
  QTest::newRow("guidance too large") << QStringList{QStringLiteral("--guidance"), QStringLiteral("11")}
                                      << QStringLiteral("--guidance must be a number in [0, 10]");
  QTest::newRow("guidance nan") << QStringList{QStringLiteral("--guidance"), QStringLiteral("nan")}
                                << QStringLiteral("--guidance must be a number");
  QTest::newRow("bad precision") << QStringList{QStringLiteral("--precision"), QStringLiteral("fp16")}
                                 << QStringLiteral("--precision must be fp32 or bf16, got 'fp16'");
}

void TestMainWindow::commandLine_refusesBadValuesWithReason() {
  QFETCH(QStringList, arguments);
  QFETCH(QString, reason);
  arguments.prepend(QStringLiteral("ddpm-studio"));
  const auto parsed = parseStudioOptions(arguments);
  QCOMPARE(parsed.action, StudioOptionsResult::Action::Error);
  QVERIFY2(parsed.text.contains(reason), qPrintable(parsed.text));
}

void TestMainWindow::textScale_growsFonts() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  const double before = window.formulaPanel()->font().pointSizeF();
  window.setTextScale(1.5);
  QCoreApplication::processEvents();
  QVERIFY(window.formulaPanel()->font().pointSizeF() > before * 1.4);
  window.setTextScale(100);  // clamped
  QCOMPARE(window.textScale(), 2.5);
  window.setTextScale(1.0);
  QCoreApplication::processEvents();
  QCOMPARE(window.formulaPanel()->font().pointSizeF(), before);
}

void TestMainWindow::screenshotAndExports_writePngs() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.resize(1200, 800);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.forwardView()->setSource(QStringLiteral("gaussians8"));
  for (StudioView* view : window.views()) {
    window.setCurrentView(view->key());
    const QString shot = m_files.filePath(view->key() + QStringLiteral("_window.png"));
    QVERIFY(window.saveScreenshot(shot));
    QImage image(shot);
    QCOMPARE(image.size(), window.size() * window.devicePixelRatioF());
    const QString exported = m_files.filePath(view->exportImageName());
    QString error;
    QVERIFY2(view->exportImage(exported, &error), qPrintable(error));
    QVERIFY(QImage(exported).width() >= 640);
  }
  QString error;
  QVERIFY(!window.scheduleView()->exportImage(QStringLiteral("/no/such/folder/x.png"), &error));
  QVERIFY(!error.isEmpty());
}

void TestMainWindow::openCheckpoint_takesItsScheduleDataAndName() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("tiny.safetensors"));
  save_checkpoint(path.toStdString(), tinyCheckpoint(), WeightPrecision::Float16);

  MainWindow window;
  window.setErrorDialogsEnabled(false);
  QSignalSpy errors(&window, &MainWindow::errorReported);
  QVERIFY(!window.currentModel()->isLoaded());
  QVERIFY(!window.saveCheckpointAction()->isEnabled());
  QCOMPARE(window.scheduleModel()->spec().kind, ScheduleKind::Linear);

  QVERIFY(window.openCheckpoint(path));
  QCOMPARE(errors.count(), 0);
  QVERIFY(window.currentModel()->isLoaded());
  QCOMPARE(window.scheduleModel()->spec().kind, ScheduleKind::Cosine);
  QCOMPARE(window.scheduleModel()->steps(), 50);
  QCOMPARE(window.cursor()->steps(), 50);
  QCOMPARE(window.forwardView()->source(), QStringLiteral("moons"));
  QCOMPARE(window.windowTitle(), QStringLiteral("tiny.safetensors — DDPM Studio"));
  QVERIFY(window.saveCheckpointAction()->isEnabled());
  QCOMPARE(window.statusBar()->currentMessage(),
           QStringLiteral("Loaded tiny.safetensors: mlp on moons, step 321, T = 50"));
  QCOMPARE(window.recentFiles()->files().value(0), QFileInfo(path).absoluteFilePath());
  QCOMPARE(QString::fromStdString(window.currentModel()->data().weights_dtype), QStringLiteral("F16"));

  // The File menu offers both actions, and a recent .safetensors entry opens as a checkpoint.
  QMenu* file = window.menuBar()->actions().value(0)->menu();
  QVERIFY(file);
  QVERIFY(file->actions().contains(window.openCheckpointAction()));
  QVERIFY(file->actions().contains(window.saveCheckpointAction()));
  MainWindow other;
  QVERIFY2(other.openFile(path).isEmpty(), qPrintable(other.openFile(path)));
  QCOMPARE(other.scheduleModel()->steps(), 50);
  QVERIFY(other.windowTitle().contains(QStringLiteral("tiny.safetensors")));
}

void TestMainWindow::saveCheckpointAs_writesTheSameModelInItsPrecision() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("tiny.safetensors"));
  const QString copy = dir.filePath(QStringLiteral("copy.safetensors"));
  save_checkpoint(path.toStdString(), tinyCheckpoint(), WeightPrecision::BFloat16);
  const CheckpointData original = load_checkpoint(path.toStdString());

  MainWindow window;
  window.setErrorDialogsEnabled(false);
  QSignalSpy errors(&window, &MainWindow::errorReported);
  QVERIFY(!window.saveCheckpointAs(copy));  // nothing loaded yet
  QCOMPARE(errors.count(), 1);
  QVERIFY(!QFileInfo::exists(copy));

  QVERIFY(window.openCheckpoint(path));
  QVERIFY(window.saveCheckpointAs(copy));
  QCOMPARE(errors.count(), 1);
  QCOMPARE(window.windowTitle(), QStringLiteral("copy.safetensors — DDPM Studio"));
  QCOMPARE(window.currentModel()->path(), QFileInfo(copy).absoluteFilePath());

  const CheckpointData back = load_checkpoint(copy.toStdString());
  QVERIFY(back.model == original.model);
  QVERIFY(back.schedule == original.schedule);
  QCOMPARE(back.data_spec, original.data_spec);
  QVERIFY(back.normalisation == original.normalisation);
  QCOMPARE(back.sample_shape, original.sample_shape);
  QCOMPARE(back.step, original.step);
  QCOMPARE(back.created, original.created);
  QCOMPARE(back.weights_dtype, std::string("BF16"));  // kept, not widened to F32
  QCOMPARE(back.weight_count, original.weight_count);
  QCOMPARE(back.weights.size(), original.weights.size());
  for (const auto& [name, tensor] : original.weights) {
    QVERIFY2(back.weights.count(name), name.c_str());
    QVERIFY2(torch::equal(back.weights.at(name), tensor), name.c_str());  // bf16 → f32 → bf16 is exact
  }

  // A folder that does not exist: reported, and the model stays where it was.
  QVERIFY(!window.saveCheckpointAs(dir.filePath(QStringLiteral("no/such/folder/x.safetensors"))));
  QCOMPARE(errors.count(), 2);
  QVERIFY(!errors.last().value(1).toString().isEmpty());
  QCOMPARE(window.currentModel()->path(), QFileInfo(copy).absoluteFilePath());
}

void TestMainWindow::openCorruptCheckpoint_reportsErrorAndChangesNothing() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString junk = dir.filePath(QStringLiteral("junk.safetensors"));
  test::writeText(junk, QByteArray("\x13\x00\x00\x00\x00\x00\x00\x00not a checkpoint at all\xff\xfe", 33));
  const QString good = dir.filePath(QStringLiteral("good.safetensors"));
  save_checkpoint(good.toStdString(), tinyCheckpoint());
  QFile whole(good);
  QVERIFY(whole.open(QIODevice::ReadOnly));
  const QByteArray bytes = whole.readAll();
  whole.close();
  const QString truncated = dir.filePath(QStringLiteral("truncated.safetensors"));
  test::writeText(truncated, bytes.left(bytes.size() / 2));

  MainWindow window;
  window.setErrorDialogsEnabled(false);
  QSignalSpy errors(&window, &MainWindow::errorReported);
  ScheduleSpec quadratic;
  quadratic.kind = ScheduleKind::Quadratic;
  quadratic.steps = 200;
  QVERIFY(window.scheduleModel()->trySetSpec(quadratic).isEmpty());

  for (const QString& bad : {junk, truncated}) {
    QVERIFY(!window.openCheckpoint(bad));
    QVERIFY(errors.count() >= 1);
    const QString message = errors.takeLast().value(1).toString();
    QVERIFY2(message.contains(QFileInfo(bad).fileName()), qPrintable(message));
    QVERIFY(window.scheduleModel()->spec() == quadratic);
    QVERIFY(!window.currentModel()->isLoaded());
    QVERIFY(!window.saveCheckpointAction()->isEnabled());
    QCOMPARE(window.windowTitle(), QStringLiteral("DDPM Studio"));
    QVERIFY(window.recentFiles()->files().isEmpty());
  }

  // With a model open, a bad file leaves that model in place.
  QVERIFY(window.openCheckpoint(good));
  QVERIFY(!window.openCheckpoint(junk));
  QCOMPARE(window.windowTitle(), QStringLiteral("good.safetensors — DDPM Studio"));
  QCOMPARE(window.scheduleModel()->spec().kind, ScheduleKind::Cosine);
  QCOMPARE(window.currentModel()->path(), QFileInfo(good).absoluteFilePath());
}

void TestMainWindow::startupModel_isTheLastOneElseTheShippedOne() {
  QTemporaryDir shipped;
  QVERIFY(shipped.isValid());
  const QString named = QFileInfo(shipped.filePath(QStringLiteral("fashion-mnist.safetensors"))).absoluteFilePath();
  save_checkpoint(named.toStdString(), tinyCheckpoint());
  const QString other = QFileInfo(m_files.filePath(QStringLiteral("mine.safetensors"))).absoluteFilePath();
  save_checkpoint(other.toStdString(), tinyCheckpoint());
  qputenv(kCheckpointDirVariable, shipped.path().toLocal8Bit());  // searched before the shipped folders

  {  // first launch: the shipped model, its data in the Forward view
    MainWindow window;
    QVERIFY(window.forwardView()->setSource(QStringLiteral("swissroll")));
    QCOMPARE(window.openStartupModel(), named);
    QCOMPARE(window.currentModel()->path(), named);
    QCOMPARE(window.forwardView()->source(), QStringLiteral("moons"));
    QCOMPARE(window.scheduleModel()->steps(), 50);
    QVERIFY(window.openCheckpoint(other));  // the person opens their own model and quits
    QVERIFY(window.close());
  }
  {  // the next launch reopens it
    MainWindow window;
    QCOMPARE(window.openStartupModel(), other);
  }
  QVERIFY(QFile::remove(other));
  {  // once it is gone, the shipped model again
    MainWindow window;
    QCOMPARE(window.openStartupModel(), named);
  }
  // A damaged shipped file: the window starts without a model, quietly (no dialog).
  test::writeText(named, QByteArray("not a checkpoint"));
  QSettings().clear();
  {
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QSignalSpy errors(&window, &MainWindow::errorReported);
    QVERIFY(window.openStartupModel().isEmpty());
    QVERIFY(!window.currentModel()->isLoaded());
    QCOMPARE(errors.count(), 0);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("No pretrained model")));
  }
  qunsetenv(kCheckpointDirVariable);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
