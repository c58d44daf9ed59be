// Every way an operation in the window can fail reaches the person as a message that
// names the problem (MainWindow::errorReported, which also pops up a box in the app, or
// a message that stays in the view), and the window stays usable afterwards: bad
// checkpoints opened, dropped or picked from the recent files; a β file that went bad;
// saving and exporting to a folder that cannot be written; bad training settings; an
// output folder that refuses files (found here: it failed only at the end of the run);
// a NaN loss; a checkpoint whose data shape does not fit its network; a device that is
// not there; and closing the window while a sampling run is in flight.
#include "core/checkpoint/checkpoint.h"
#include "core/models/denoiser.h"

#include "ui/shared/current_model.h"
#include "ui/window/main_window.h"
#include "ui/window/recent_files.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/schedule_model.h"
#include "ui/training/training_form.h"
#include "ui/training/training_report.h"
#include "ui/sampling/sampling_view.h"
#include "ui/schedule/schedule_view.h"
#include "ui/training/training_view.h"
#include "ui/schedule/schedule_editor.h"

#include "ui_fixtures.h"
#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

#include <chrono>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

constexpr int kWaitMs = 30000;

// An untrained 2D model: the MLP preset on moons, a linear schedule with T steps.
CheckpointData pointsCheckpoint(std::int64_t T) {
  return test::untrainedPointsCheckpoint(T, ScheduleKind::Linear, 10);
}

void setTinyRun(TrainingForm* form, const QString& output, qint64 steps) {
  test::setTinyRun(form, output, steps, /*previewSeconds=*/0);
}

TrainingOutcome waitForEnd(QSignalSpy& ended) { return test::waitForEnd(ended, kWaitMs); }

void dropFile(QWidget* target, const QString& path) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  // Enter first: QApplication delivers a drop only to the widget that accepted the enter.
  QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
}

}  // namespace

class TestGuiErrorPaths : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void badCheckpoints_openedOrDropped_reportTheFileAndKeepTheModel();
  void recentFile_goneOrBroken_reportsAndTheScheduleStays();
  void saveCheckpoint_toUnwritablePlace_reportsAndKeepsTheModel();
  void exports_toUnwritablePlace_sayWhereAndLaterExportsWork();
  void exportDialog_overTheOpenCheckpoint_isRefusedAndTheFileKept();
  void badTrainingSettings_reachTheWindow();
  void unwritableOutputFolder_failsBeforeTheFirstStep();
  void nanLoss_reachesTheWindowAndStartWorksAgain();
  void continueFromANonCheckpoint_isReported();
  void checkpointWhoseShapeDoesNotFit_isReported();
  void unavailableDevice_isExplainedAndTheRunUsesTheCpu();
  void closeDuringSampling_closesAtOnceAndStopsTheRun();

 private:
  void expectUsable();
  /// Opens m_good in the Sampling view and samples it (DDIM, 5 steps, 50 points).
  void sampleTheGoodModel();
  QString path(const QString& name) const { return m_dir->filePath(name); }

  QTemporaryDir m_settingsDir;
  std::unique_ptr<QTemporaryDir> m_dir;
  std::unique_ptr<MainWindow> m_window;
  QString m_good;  // a valid T = 100 2D checkpoint
};

void TestGuiErrorPaths::initTestCase() {
  QVERIFY(m_settingsDir.isValid());
  test::isolateSettings(m_settingsDir);
  qRegisterMetaType<TrainingOutcome>();
}

void TestGuiErrorPaths::init() {
  m_dir = std::make_unique<QTemporaryDir>();
  m_good = path(QStringLiteral("good.safetensors"));
  save_checkpoint(m_good.toStdString(), pointsCheckpoint(100));
  m_window = std::make_unique<MainWindow>(MainWindow::SettingsMode::Fresh);
  m_window->setErrorDialogsEnabled(false);  // errorReported is what the box shows
  m_window->setTrainingClosePolicy(MainWindow::TrainingClosePolicy::StopAndSave);
  m_window->resize(1200, 800);
  m_window->show();
}

void TestGuiErrorPaths::cleanup() {
  m_window.reset();
  m_dir.reset();
}

// After an error: no dialog is left open, the window is shown and a good checkpoint opens.
void TestGuiErrorPaths::sampleTheGoodModel() {
  QVERIFY(m_window->openCheckpoint(m_good));
  m_window->setCurrentView(QStringLiteral("sampling"));
  SamplingView* view = m_window->samplingView();
  SamplingSettings s;
  s.sampler = SamplingSettings::Sampler::DDIM;
  s.steps = 5;
  s.samples = 50;
  view->setSettings(s);
  QSignalSpy ended(view, &SamplingView::runEnded);
  QVERIFY(view->startSampling());
  QVERIFY(ended.wait(kWaitMs));
  QVERIFY(ended.last().at(0).toBool());
}

void TestGuiErrorPaths::expectUsable() {
  QVERIFY(QApplication::activeModalWidget() == nullptr);
  QVERIFY(m_window->isVisible());
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QVERIFY(m_window->openCheckpoint(m_good));
  QCOMPARE(errors.size(), 0);
  QCOMPARE(m_window->currentModel()->path(), QFileInfo(m_good).absoluteFilePath());
}

void TestGuiErrorPaths::badCheckpoints_openedOrDropped_reportTheFileAndKeepTheModel() {
  QVERIFY(m_window->openCheckpoint(m_good));
  const QString truncated = path(QStringLiteral("truncated.safetensors"));
  {
    QFile file(m_good);
    QVERIFY(file.open(QIODevice::ReadOnly));
    test::writeText(truncated, file.readAll().left(300));
  }
  const QString text = path(QStringLiteral("notes.safetensors"));
  test::writeText(text, "these are my notes, not a model\n");
  const QString missing = path(QStringLiteral("missing.safetensors"));

  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QSignalSpy changed(m_window->currentModel(), &CurrentModel::changed);
  for (const QString& bad : {truncated, text, missing}) {
    QVERIFY(!m_window->openCheckpoint(bad));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.last().at(0).toString(), QStringLiteral("Could not open the checkpoint"));
    QVERIFY2(errors.last().at(1).toString().contains(QFileInfo(bad).fileName()), qPrintable(errors.last().at(1).toString()));
    errors.clear();
  }
  // The same files dropped on the window (a missing one cannot be dropped).
  for (const QString& bad : {truncated, text}) {
    dropFile(m_window.get(), bad);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.last().at(1).toString().contains(QFileInfo(bad).fileName()), qPrintable(errors.last().at(1).toString()));
    errors.clear();
  }
  QCOMPARE(changed.size(), 0);
  QCOMPARE(m_window->currentModel()->path(), QFileInfo(m_good).absoluteFilePath());
  // A dropped β file that is not one: the message names it, the schedule stays.
  const int T = m_window->scheduleModel()->steps();
  const QString betas = path(QStringLiteral("betas.txt"));
  test::writeText(betas, "0.1\nnot a number\n");
  dropFile(m_window.get(), betas);
  QCOMPARE(errors.size(), 1);
  QVERIFY2(errors.last().at(1).toString().contains(QStringLiteral("betas.txt")), qPrintable(errors.last().at(1).toString()));
  QCOMPARE(m_window->scheduleModel()->steps(), T);
  expectUsable();
}

void TestGuiErrorPaths::recentFile_goneOrBroken_reportsAndTheScheduleStays() {
  // A good β file opened once joins the recent files.
  const QString betas = path(QStringLiteral("my_betas.txt"));
  QString text;
  for (int t = 0; t < 40; ++t) text += QString::number(1e-3 + t * 5e-3) + QLatin1Char('\n');
  test::writeText(betas, text.toUtf8());
  QCOMPARE(m_window->openFile(betas), QString());
  QCOMPARE(m_window->scheduleModel()->steps(), 40);
  QVERIFY(m_window->recentFiles()->files().contains(QFileInfo(betas).absoluteFilePath()) ||
          m_window->recentFiles()->files().contains(betas));
  auto recentAction = [&] {
    for (QAction* a : m_window->recentMenu()->actions())
      if (a->text().contains(QStringLiteral("my_betas.txt"))) return a;
    return static_cast<QAction*>(nullptr);
  };
  QVERIFY(recentAction() != nullptr);

  // It goes bad; picking it from File ▸ Recent says so and keeps the schedule.
  test::writeText(betas, "0.5\n-3\n");
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  recentAction()->trigger();
  QCOMPARE(errors.size(), 1);
  QVERIFY2(errors.last().at(1).toString().contains(QStringLiteral("my_betas.txt")), qPrintable(errors.last().at(1).toString()));
  QCOMPARE(m_window->scheduleModel()->steps(), 40);

  // It is deleted; picking it says so and takes it off the list.
  QVERIFY(QFile::remove(betas));
  recentAction()->trigger();
  QCOMPARE(errors.size(), 2);
  QVERIFY2(errors.last().at(1).toString().contains(QStringLiteral("no longer exists")), qPrintable(errors.last().at(1).toString()));
  QVERIFY(recentAction() == nullptr);
  expectUsable();
}

void TestGuiErrorPaths::saveCheckpoint_toUnwritablePlace_reportsAndKeepsTheModel() {
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QVERIFY(!m_window->saveCheckpointAs(path(QStringLiteral("x.safetensors"))));  // nothing open yet
  QCOMPARE(errors.size(), 1);
  QVERIFY(errors.last().at(1).toString().contains(QStringLiteral("no model")));

  QVERIFY(m_window->openCheckpoint(m_good));
  test::writeText(path(QStringLiteral("a_file")), "x");
  const QString impossible = path(QStringLiteral("a_file/model.safetensors"));  // fails for root too
  QVERIFY(!m_window->saveCheckpointAs(impossible));
  QCOMPARE(errors.size(), 2);
  QCOMPARE(errors.last().at(0).toString(), QStringLiteral("Checkpoint not saved"));
  QVERIFY2(errors.last().at(1).toString().contains(impossible), qPrintable(errors.last().at(1).toString()));
  QCOMPARE(m_window->currentModel()->path(), QFileInfo(m_good).absoluteFilePath());
  QVERIFY(m_window->saveCheckpointAs(path(QStringLiteral("copy.safetensors"))));
  QCOMPARE(errors.size(), 2);
  expectUsable();
}

void TestGuiErrorPaths::exports_toUnwritablePlace_sayWhereAndLaterExportsWork() {
  sampleTheGoodModel();
  if (QTest::currentTestFailed()) return;
  SamplingView* view = m_window->samplingView();

  test::writeText(path(QStringLiteral("a_file")), "x");
  const QString png = path(QStringLiteral("a_file/frame.png"));
  const QString gif = path(QStringLiteral("a_file/run.gif"));
  QString why;
  QVERIFY(!view->exportImage(png, &why));
  QVERIFY2(why.contains(png), qPrintable(why));
  why.clear();
  QCOMPARE(view->exportGif(gif, &why), 0);
  QVERIFY2(why.contains(QStringLiteral("run.gif")), qPrintable(why));
  why.clear();
  QVERIFY(!m_window->trainingView()->exportImage(png, &why));
  QVERIFY2(why.contains(png), qPrintable(why));
  why.clear();
  QVERIFY(!m_window->scheduleView()->exportTable(path(QStringLiteral("a_file/t.csv")), &why));
  QVERIFY2(why.contains(QStringLiteral("t.csv")), qPrintable(why));

  // Nothing is broken: the same exports to a folder that works succeed.
  QVERIFY(view->exportImage(path(QStringLiteral("frame.png")), &why));
  QCOMPARE(view->exportGif(path(QStringLiteral("run.gif")), &why), 6);
  QVERIFY(QImage(path(QStringLiteral("frame.png"))).width() > 0);
  expectUsable();
}

// The person picks the open checkpoint as the PNG to write, through the real file dialog
// (and confirms Qt's "replace it?"): the export is refused with a message naming the
// file, and the checkpoint is byte for byte what it was.
void TestGuiErrorPaths::exportDialog_overTheOpenCheckpoint_isRefusedAndTheFileKept() {
  sampleTheGoodModel();
  if (QTest::currentTestFailed()) return;
  SamplingView* view = m_window->samplingView();
  const QByteArray before = test::readBytes(m_good);

  QPushButton* exportPng = nullptr;
  for (QPushButton* b : view->findChildren<QPushButton*>())
    if (b->text().startsWith(QStringLiteral("Frame as PNG"))) exportPng = b;
  QVERIFY(exportPng);
  QString refusal;
  int dialogs = 0;
  // Answers each modal window the export opens, as a person would. The answer is queued,
  // so the timer's slot returns before the window's own event loop runs (a timer does
  // not fire again while its slot is still running).
  QTimer driver;
  connect(&driver, &QTimer::timeout, [&] {
    QWidget* modal = QApplication::activeModalWidget();
    if (!modal || modal->property("answered").toBool()) return;
    modal->setProperty("answered", true);
    if (auto* files = qobject_cast<QFileDialog*>(modal)) {
      ++dialogs;
      auto* name = files->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));  // the person types the name
      if (name) name->setText(m_good);
      QTimer::singleShot(0, files, [files] { static_cast<QDialog*>(files)->accept(); });  // the Save button
    } else if (auto* box = qobject_cast<QMessageBox*>(modal)) {
      const bool confirm = box->text().contains(QStringLiteral("replace"), Qt::CaseInsensitive);
      if (!confirm) refusal = box->text();
      QAbstractButton* answer = confirm ? box->button(QMessageBox::Yes) : box->button(QMessageBox::Ok);
      QTimer::singleShot(0, answer, &QAbstractButton::click);
    }
  });
  driver.start(50);
  exportPng->click();  // returns once every dialog is answered
  driver.stop();

  QCOMPARE(dialogs, 1);
  QVERIFY2(refusal.contains(QStringLiteral("good.safetensors")) && refusal.contains(QStringLiteral("destroy")),
           qPrintable(refusal));
  QCOMPARE(test::readBytes(m_good), before);
  QVERIFY(load_checkpoint(m_good.toStdString()).step >= 0);  // still a checkpoint
  expectUsable();
}

void TestGuiErrorPaths::badTrainingSettings_reachTheWindow() {
  m_window->setCurrentView(QStringLiteral("training"));
  TrainingView* view = m_window->trainingView();
  setTinyRun(view->form(), path(QStringLiteral("run.safetensors")), 20);
  view->form()->learningRateEdit()->setText(QStringLiteral("fast"));
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QVERIFY(!view->start());
  QCOMPARE(errors.size(), 1);
  QCOMPARE(errors.last().at(0).toString(), QStringLiteral("Training cannot start"));
  QVERIFY(errors.last().at(1).toString().contains(QStringLiteral("'fast'")));
  bool shown = false;  // and it stays in the view, under the buttons
  for (const QLabel* label : view->findChildren<QLabel*>())
    shown = shown || (label->isVisibleTo(view) && label->text().contains(QStringLiteral("'fast'")));
  QVERIFY(shown);
  QVERIFY(!view->isTraining());
  QVERIFY(view->startButton()->isEnabled());
  expectUsable();
}

void TestGuiErrorPaths::unwritableOutputFolder_failsBeforeTheFirstStep() {
  // /proc takes no new files, for root neither. Before the fix the run trained all its
  // steps and failed only when it saved at the end.
  m_window->setCurrentView(QStringLiteral("training"));
  TrainingView* view = m_window->trainingView();
  setTinyRun(view->form(), QStringLiteral("/proc/ddpm_test_run.safetensors"), 5000);
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QSignalSpy ended(view, &TrainingView::trainingEnded);
  QSignalSpy progressed(view, &TrainingView::progressed);
  QVERIFY(view->start());
  const TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Failed));
  QCOMPARE(outcome.stepsTaken, qint64(0));
  QCOMPARE(progressed.size(), 0);
  QCOMPARE(errors.size(), 1);
  const QString message = errors.last().at(1).toString();
  QVERIFY2(message.contains(QStringLiteral("/proc/ddpm_test_run.safetensors")), qPrintable(message));
  QVERIFY(!view->isTraining());
  QVERIFY(view->startButton()->isEnabled());
  expectUsable();
}

void TestGuiErrorPaths::nanLoss_reachesTheWindowAndStartWorksAgain() {
  m_window->setCurrentView(QStringLiteral("training"));
  TrainingView* view = m_window->trainingView();
  setTinyRun(view->form(), path(QStringLiteral("nan.safetensors")), 200);
  view->form()->setLearningRate(1e30);
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QSignalSpy ended(view, &TrainingView::trainingEnded);
  QVERIFY(view->start());
  TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Failed));
  QCOMPARE(errors.size(), 1);
  QCOMPARE(errors.last().at(0).toString(), QStringLiteral("Training stopped"));
  const QString message = errors.last().at(1).toString();
  QVERIFY2(message.contains(QStringLiteral("NaN")) || message.contains(QStringLiteral("infinite")), qPrintable(message));
  QVERIFY(view->startButton()->isEnabled());

  // A sensible learning rate trains to the end from the same view.
  view->newRun();
  setTinyRun(view->form(), path(QStringLiteral("fine.safetensors")), 30);
  QVERIFY(view->start());
  outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Finished));
  QCOMPARE(errors.size(), 1);
  expectUsable();
}

void TestGuiErrorPaths::continueFromANonCheckpoint_isReported() {
  const QString text = path(QStringLiteral("notes.safetensors"));
  test::writeText(text, "not a checkpoint");
  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  QVERIFY(!m_window->trainingView()->continueFrom(text));
  QCOMPARE(errors.size(), 1);
  QCOMPARE(errors.last().at(0).toString(), QStringLiteral("Cannot continue this checkpoint"));
  QVERIFY2(errors.last().at(1).toString().contains(QStringLiteral("notes.safetensors")),
           qPrintable(errors.last().at(1).toString()));
  QVERIFY(m_window->trainingView()->form()->resumePath().isEmpty());
  expectUsable();
}

void TestGuiErrorPaths::checkpointWhoseShapeDoesNotFit_isReported() {
  // The 2D MLP's weights with metadata that says the samples are 1 × 8 × 8 images.
  CheckpointData d = pointsCheckpoint(100);
  d.sample_shape = {1, 8, 8};
  d.data_spec = "fashion-mnist";
  d.normalisation = Normalisation::identity(1);
  const QString misfit = path(QStringLiteral("misfit.safetensors"));
  bool written = true;
  try {
    save_checkpoint(misfit.toStdString(), d);
  } catch (const std::exception&) {
    written = false;  // core refuses to write it: nothing can reach the window
  }
  if (!written) QSKIP("save_checkpoint refuses a model whose shape does not fit its data");

  QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
  m_window->setCurrentView(QStringLiteral("sampling"));
  if (!m_window->openCheckpoint(misfit)) {
    qInfo("refused when opened: %s", qPrintable(errors.value(0).value(1).toString()));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.last().at(1).toString().contains(QStringLiteral("misfit.safetensors")),
             qPrintable(errors.last().at(1).toString()));
  } else {
    // Opened: sampling it must fail with a message in the view, not crash or hang.
    SamplingView* view = m_window->samplingView();
    QSignalSpy ended(view, &SamplingView::runEnded);
    QVERIFY(view->startSampling());
    QVERIFY(ended.wait(kWaitMs));
    QVERIFY(!ended.last().at(0).toBool());
    QVERIFY2(view->message().startsWith(QStringLiteral("Sampling failed")), qPrintable(view->message()));
    qInfo("opened; sampling failed with: %s", qPrintable(view->message()));
  }
  expectUsable();
}

void TestGuiErrorPaths::unavailableDevice_isExplainedAndTheRunUsesTheCpu() {
  TrainingForm* form = m_window->trainingView()->form();
  if (form->deviceBox()->currentData().toString() == QLatin1String("cuda")) QSKIP("CUDA is available here");
  form->setDevice(QStringLiteral("cuda"));
  QCOMPARE(form->deviceBox()->currentData().toString(), QStringLiteral("cpu"));
  QVERIFY(form->deviceNote()->isVisibleTo(form));
  const QString note = form->deviceNote()->text();
  QVERIFY2(note.startsWith(QStringLiteral("CUDA unavailable")) && note.endsWith(QStringLiteral("training runs on the CPU.")) &&
               !note.contains(QStringLiteral("--device")) && !note.contains(QStringLiteral("was asked for")),
           qPrintable(note));
  // A saved "cuda" choice on a machine without it falls back the same way.
  QSettings settings;
  settings.beginGroup(QStringLiteral("trainingView"));
  settings.setValue(QStringLiteral("data"), QStringLiteral("moons"));
  settings.setValue(QStringLiteral("model"), QStringLiteral("mlp"));
  settings.setValue(QStringLiteral("device"), QStringLiteral("cuda"));
  settings.setValue(QStringLiteral("precision"), QStringLiteral("bf16"));
  settings.endGroup();
  form->restoreState(settings);
  QCOMPARE(form->deviceBox()->currentData().toString(), QStringLiteral("cpu"));
  // bf16 needs the GPU: greyed out on the CPU, a saved bf16 falls back to float32, and a
  // config that asks for it anyway is refused with a sentence.
  const int bf16 = form->precisionBox()->findData(QStringLiteral("bf16"));
  QVERIFY(bf16 >= 0);
  const auto* items = qobject_cast<QStandardItemModel*>(form->precisionBox()->model());
  QVERIFY(items && !items->item(bf16)->isEnabled());
  QCOMPARE(form->precisionBox()->currentData().toString(), QStringLiteral("fp32"));
  TrainingConfig config;
  config.precision = QStringLiteral("bf16");
  QStringList problems;
  QVERIFY2(form->readConfig(&config, &problems), qPrintable(problems.join(QLatin1Char(' '))));
  QCOMPARE(config.precision, QStringLiteral("fp32"));
  config.device = QStringLiteral("cpu");
  config.precision = QStringLiteral("bf16");
  QVERIFY(config.problems().join(QLatin1Char(' ')).contains(QStringLiteral("CUDA")));
}

void TestGuiErrorPaths::closeDuringSampling_closesAtOnceAndStopsTheRun() {
  const QString longModel = path(QStringLiteral("long.safetensors"));
  save_checkpoint(longModel.toStdString(), pointsCheckpoint(1000));
  QVERIFY(m_window->openCheckpoint(longModel));
  m_window->setCurrentView(QStringLiteral("sampling"));
  SamplingView* view = m_window->samplingView();
  SamplingSettings s;
  s.samples = 5000;  // DDPM, 1000 steps: far longer than this test waits
  view->setSettings(s);
  QSignalSpy frames(&view->session(), &SamplingSession::framesAdded);
  QSignalSpy ended(view, &SamplingView::runEnded);
  QVERIFY(view->startSampling());
  QVERIFY(frames.wait(kWaitMs));
  QVERIFY(view->isSampling());

  const auto begin = std::chrono::steady_clock::now();
  QVERIFY(m_window->close());  // no question: only training asks
  QVERIFY(!m_window->isVisible());
  QVERIFY(ended.wait(5000));  // the run stops before its next step
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  QVERIFY2(seconds < 5.0, qPrintable(QString::number(seconds)));
  QVERIFY(!view->isSampling());
  QVERIFY(!view->store().isComplete());
  m_window.reset();  // and the thread joins at once
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  QVERIFY2(total < 6.0, qPrintable(QString::number(total)));
}

QTEST_MAIN(TestGuiErrorPaths)
#include "test_gui_error_paths.moc"
