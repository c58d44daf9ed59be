// The Training view driven through its real buttons and signals under the offscreen
// platform: a tiny 2D run (MLP, moons, T = 50) trains on the worker thread, reports
// progress and leaves a checkpoint core can load; Stop saves early; a stopped run
// continues to a new total and lands on exactly the weights of an uninterrupted run;
// Pause halts the steps; bad settings and a NaN loss end in the error path, the last
// good checkpoint untouched; closing the window mid-run stops and saves.
#include "core/checkpoint/checkpoint.h"
#include "core/schedule/noise_schedule.h"

#include "ui/window/main_window.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/training/loss_history.h"
#include "ui/training/training_form.h"
#include "ui/training/training_report.h"
#include "ui/training/training_session.h"
#include "ui/schedule/schedule_view.h"
#include "ui/training/training_view.h"
#include "ui/training/loss_by_t_plot.h"
#include "ui/shared/image_panel.h"

#include "ui_fixtures.h"
#include "ui_test_support.h"

#include <qcustomplot.h>

#include <QtTest>
#include <QtWidgets>

#include <cmath>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

constexpr int kRunTimeoutMs = 30000;

// The paper's linear schedule scaled to T = 50 (β from 0.002 to 0.4), so ᾱ_T ≈ 0.
ScheduleSpec tinySchedule() {
  ScheduleSpec spec;
  spec.steps = 50;
  spec.beta_start = 0.002;
  spec.beta_end = 0.4;
  return spec;
}

// The settings every run here starts from: moons, the MLP, 200 steps of batch 64, previews every 5 s.
void setTinyRun(TrainingForm* form, const QString& output, qint64 steps = 200) {
  test::setTinyRun(form, output, steps, /*previewSeconds=*/5);
}

TrainingOutcome waitForEnd(QSignalSpy& ended) { return test::waitForEnd(ended, kRunTimeoutMs); }

double maxAbsDifference(const NamedTensors& a, const NamedTensors& b) {
  double worst = 0;
  for (const auto& [name, tensor] : a) worst = std::max(worst, (tensor - b.at(name)).abs().max().item<double>());
  return worst;
}

QByteArray fileBytes(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool allFinite(const NamedTensors& weights) {
  for (const auto& [name, tensor] : weights)
    if (!torch::isfinite(tensor).all().item<bool>()) return false;
  return true;
}

}  // namespace

class TestTrainingView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void tinyRun_emitsProgressAndFinishesWithLoadableCheckpoint();
  void defaultOutput_isInTheDataFolderWithTheNameOnce();
  void objectiveRow_trainsAndRecordsTheObjectiveAndLoss();
  void stop_endsEarlyAndSavesTheReachedStep();
  void continue_resumesFromSavedStepToNewTotalExactly();
  void pause_haltsStepsUntilResumed();
  void invalidSettings_reportErrorsAndStartNothing();
  void unreadableData_failsThroughTheErrorPath();
  void nanLoss_stopsWithErrorAndKeepsLastGoodCheckpoint();
  void closeWindowWhileTraining_stopsAndKeepsCheckpoint();
  void retrainButton_opensTrainingViewWithTheSchedule();

 private:
  QTemporaryDir m_settingsDir;
  std::unique_ptr<QTemporaryDir> m_dir;
  std::unique_ptr<ScheduleModel> m_schedule;
  std::unique_ptr<TimestepCursor> m_cursor;
  std::unique_ptr<TrainingView> m_view;
  QString path(const QString& name) const { return m_dir->filePath(name); }
};

void TestTrainingView::initTestCase() {
  ddpm::test::isolateSettings(m_settingsDir);
  qRegisterMetaType<TrainingOutcome>();
}

void TestTrainingView::init() {
  m_dir = std::make_unique<QTemporaryDir>();
  m_schedule = std::make_unique<ScheduleModel>();
  QVERIFY(m_schedule->trySetSpec(tinySchedule()).isEmpty());
  m_cursor = std::make_unique<TimestepCursor>();
  m_view = std::make_unique<TrainingView>(m_schedule.get(), m_cursor.get());
  m_view->resize(1200, 800);
  m_view->show();
}

void TestTrainingView::cleanup() {
  m_view.reset();  // stops a run that is still going and waits for its thread
  m_cursor.reset();
  m_schedule.reset();
  m_dir.reset();
}

// Runs go to ~/.local/share/ddpm-studio/checkpoints/DATA-MODEL.safetensors, not under the
// organisation and application names (both "DDPM Studio") one inside the other.
void TestTrainingView::defaultOutput_isInTheDataFolderWithTheNameOnce() {
  m_view->form()->setDataSpec(QStringLiteral("moons"));
  m_view->form()->setModel(QStringLiteral("mlp"));
  const QString folder =
      QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/ddpm-studio/checkpoints");
  QCOMPARE(TrainingForm::defaultCheckpointFolder(), folder);
  const QString output = m_view->form()->outputPath();
  QVERIFY2(output.startsWith(folder + QStringLiteral("/moons-mlp")) && output.endsWith(QStringLiteral(".safetensors")),
           qPrintable(output));
  QVERIFY2(!output.contains(QStringLiteral("DDPM Studio/DDPM Studio")), qPrintable(output));
  // The form shows the whole path (home as ~), never clipped: a wrapping label.
  auto* shown = m_view->form()->findChild<QLabel*>(QStringLiteral("trainingOutput"));
  QVERIFY(shown != nullptr && shown->wordWrap());
  QString expected = output;
  expected.replace(QDir::homePath() + QLatin1Char('/'), QStringLiteral("~/"));
  QCOMPARE(shown->text().remove(QChar(0x200B)), expected);

  // A window started with --fresh leaves the person's folders alone: its runs go to the
  // temporary folder.
  MainWindow fresh(MainWindow::SettingsMode::Fresh);
  const QString temporary = QDir::temp().filePath(QStringLiteral("ddpm-studio-runs"));
  QCOMPARE(fresh.trainingView()->form()->runsFolder(), temporary);
  QVERIFY2(fresh.trainingView()->form()->outputPath().startsWith(temporary + QLatin1Char('/')),
           qPrintable(fresh.trainingView()->form()->outputPath()));
}

void TestTrainingView::tinyRun_emitsProgressAndFinishesWithLoadableCheckpoint() {
  setTinyRun(m_view->form(), path(QStringLiteral("tiny.safetensors")));
  QSignalSpy progressed(m_view.get(), &TrainingView::progressed);
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QSignalSpy ready(m_view.get(), &TrainingView::checkpointReady);
  QSignalSpy errors(m_view.get(), &TrainingView::errorReported);
  QTest::mouseClick(m_view->startButton(), Qt::LeftButton);
  QVERIFY(m_view->isTraining());
  QVERIFY(!m_view->startButton()->isEnabled());
  QVERIFY(m_view->stopButton()->isEnabled());

  const TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Finished));
  QCOMPARE(outcome.step, qint64(200));
  QCOMPARE(outcome.stepsTaken, qint64(200));
  QVERIFY(errors.isEmpty());
  QVERIFY(!progressed.isEmpty());
  QCOMPARE(progressed.last().at(0).toLongLong(), qint64(200));
  QVERIFY(!m_view->isTraining());

  // Every step's loss reached the history once, in order; the per-t bins saw batch × steps samples.
  const LossHistory& history = m_view->history();
  QCOMPARE(history.size(), std::size_t(200));
  QCOMPARE(history.steps().front(), 1.0);
  QCOMPARE(history.steps().back(), 200.0);
  qint64 samples = 0;
  for (int i = 0; i < history.binCount(); ++i) samples += history.binSamples(i);
  QCOMPARE(samples, qint64(200 * 64));
  QCOMPARE(history.timesteps(), 50);
  // Training lowers the loss: the mean of the last 50 steps is below that of the first 20.
  double first = 0, last = 0;
  for (int i = 0; i < 20; ++i) first += history.raw()[i] / 20;
  for (int i = 150; i < 200; ++i) last += history.raw()[i] / 50;
  QVERIFY2(last < first, qPrintable(QStringLiteral("first %1, last %2").arg(first).arg(last)));
  QCOMPARE(m_view->progressBar()->value(), 200);
  QVERIFY(m_view->statusText().contains(QStringLiteral("200")));
  // The final preview: 512 points drawn over the data.
  QVERIFY(!m_view->previewPanel()->image().isNull());

  QCOMPARE(ready.size(), 1);
  QCOMPARE(ready.first().at(0).toString(), path(QStringLiteral("tiny.safetensors")));
  const CheckpointData checkpoint = load_checkpoint(path(QStringLiteral("tiny.safetensors")).toStdString());
  QCOMPARE(checkpoint.step, std::int64_t(200));
  QCOMPARE(checkpoint.schedule.steps, std::int64_t(50));
  QCOMPARE(checkpoint.schedule.beta_end, 0.4);
  QCOMPARE(QString::fromStdString(checkpoint.data_spec), QStringLiteral("moons"));
  QCOMPARE(QString::fromStdString(checkpoint.model.preset), QStringLiteral("mlp"));
  QCOMPARE(checkpoint.training.batch_size, std::int64_t(64));
  QVERIFY(checkpoint.resumable);
  QVERIFY(allFinite(checkpoint.weights));
}

// Table 2 from the view: predicting μ̃ with the true bound trains, and the checkpoint says
// so; continuing it shows (and keeps, greyed out) its objective and loss.
void TestTrainingView::objectiveRow_trainsAndRecordsTheObjectiveAndLoss() {
  TrainingForm* form = m_view->form();
  setTinyRun(form, path(QStringLiteral("mu_bound.safetensors")), 60);
  form->objectiveBox()->setCurrentIndex(form->objectiveBox()->findData(QStringLiteral("mu")));
  form->lossBox()->setCurrentIndex(form->lossBox()->findData(QStringLiteral("bound")));
  QVERIFY(m_view->formulaHtml().contains(QStringLiteral("D<sub>KL</sub>")));  // the panel shows the loss it trains
  QCOMPARE(m_view->lossByTPlot()->plot()->yAxis->label(), QStringLiteral("bound term / dim (nats)"));
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QTest::mouseClick(m_view->startButton(), Qt::LeftButton);
  QCOMPARE(int(waitForEnd(ended).status), int(TrainingOutcome::Status::Finished));
  const CheckpointData checkpoint = load_checkpoint(path(QStringLiteral("mu_bound.safetensors")).toStdString());
  QCOMPARE(checkpoint.model.objective, Objective::Mu);
  QCOMPARE(checkpoint.training.loss, std::string("bound"));
  for (const double loss : m_view->history().raw()) QVERIFY(std::isfinite(loss));

  form->objectiveBox()->setCurrentIndex(0);
  form->lossBox()->setCurrentIndex(0);
  QVERIFY(m_view->continueFrom(path(QStringLiteral("mu_bound.safetensors"))));
  QCOMPARE(form->objectiveBox()->currentData().toString(), QStringLiteral("mu"));
  QCOMPARE(form->lossBox()->currentData().toString(), QStringLiteral("bound"));
  QVERIFY(!form->objectiveBox()->isEnabled());
}

void TestTrainingView::stop_endsEarlyAndSavesTheReachedStep() {
  setTinyRun(m_view->form(), path(QStringLiteral("stopped.safetensors")), 1'000'000);
  QSignalSpy progressed(m_view.get(), &TrainingView::progressed);
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QSignalSpy ready(m_view.get(), &TrainingView::checkpointReady);
  QTest::mouseClick(m_view->startButton(), Qt::LeftButton);
  QVERIFY(progressed.wait(kRunTimeoutMs));
  QTest::mouseClick(m_view->stopButton(), Qt::LeftButton);

  const TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Stopped));
  QVERIFY(outcome.step > 0);
  QVERIFY(outcome.step < 1'000'000);
  QCOMPARE(m_view->currentStep(), outcome.step);
  QCOMPARE(ready.size(), 1);
  const CheckpointData checkpoint = load_checkpoint(path(QStringLiteral("stopped.safetensors")).toStdString());
  QCOMPARE(checkpoint.step, std::int64_t(outcome.step));
  QVERIFY(checkpoint.resumable);
  // The stopped run is what Start continues now.
  QCOMPARE(m_view->form()->resumePath(), QFileInfo(path(QStringLiteral("stopped.safetensors"))).absoluteFilePath());
  QCOMPARE(m_view->startButton()->text(), QStringLiteral("Continue"));
}

void TestTrainingView::continue_resumesFromSavedStepToNewTotalExactly() {
  // Reference: 150 steps in one go.
  setTinyRun(m_view->form(), path(QStringLiteral("straight.safetensors")), 150);
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QVERIFY(m_view->start());
  QCOMPARE(int(waitForEnd(ended).status), int(TrainingOutcome::Status::Finished));

  // The same run in two parts: 100 steps, then continued to 150.
  setTinyRun(m_view->form(), path(QStringLiteral("parts.safetensors")), 100);
  QVERIFY(m_view->start());
  QCOMPARE(int(waitForEnd(ended).status), int(TrainingOutcome::Status::Finished));
  QVERIFY(m_view->continueFrom(path(QStringLiteral("parts.safetensors"))));
  QCOMPARE(m_view->form()->outputPath(), QFileInfo(path(QStringLiteral("parts.safetensors"))).absoluteFilePath());
  m_view->form()->setTotalSteps(150);
  QSignalSpy progressed(m_view.get(), &TrainingView::progressed);
  QTest::mouseClick(m_view->startButton(), Qt::LeftButton);
  const TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Finished));
  QCOMPARE(outcome.step, qint64(150));
  QCOMPARE(outcome.stepsTaken, qint64(50));
  QVERIFY(!progressed.isEmpty());
  QCOMPARE(m_view->history().steps().front(), 101.0);  // the plot of the continued part starts after step 100
  QCOMPARE(m_view->history().size(), std::size_t(50));

  const CheckpointData straight = load_checkpoint(path(QStringLiteral("straight.safetensors")).toStdString());
  const CheckpointData parts = load_checkpoint(path(QStringLiteral("parts.safetensors")).toStdString());
  QCOMPARE(parts.step, std::int64_t(150));
  // Exact resume on the CPU (same seed, Adam state, random stream): bitwise equal weights.
  QCOMPARE(maxAbsDifference(straight.weights, parts.weights), 0.0);
  QCOMPARE(maxAbsDifference(straight.resume.online_weights, parts.resume.online_weights), 0.0);
}

void TestTrainingView::pause_haltsStepsUntilResumed() {
  setTinyRun(m_view->form(), path(QStringLiteral("paused.safetensors")), 1'000'000);
  QSignalSpy progressed(m_view.get(), &TrainingView::progressed);
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QVERIFY(m_view->start());
  QVERIFY(progressed.wait(kRunTimeoutMs));
  QTest::mouseClick(m_view->pauseButton(), Qt::LeftButton);
  QVERIFY(m_view->isPaused());
  QTRY_COMPARE(m_view->pauseButton()->text(), QStringLiteral("Resume"));
  QTest::qWait(300);  // reports already on their way arrive
  const qint64 pausedAt = m_view->currentStep();
  QTest::qWait(700);
  QCOMPARE(m_view->currentStep(), pausedAt);
  QVERIFY(m_view->isTraining());

  QTest::mouseClick(m_view->pauseButton(), Qt::LeftButton);  // Resume
  QVERIFY(!m_view->isPaused());
  QTRY_VERIFY_WITH_TIMEOUT(m_view->currentStep() > pausedAt, kRunTimeoutMs);
  m_view->stop();
  QCOMPARE(int(waitForEnd(ended).status), int(TrainingOutcome::Status::Stopped));
}

void TestTrainingView::invalidSettings_reportErrorsAndStartNothing() {
  setTinyRun(m_view->form(), path(QStringLiteral("never.safetensors")));
  QSignalSpy errors(m_view.get(), &TrainingView::errorReported);

  m_view->form()->learningRateEdit()->setText(QStringLiteral("fast"));
  QVERIFY(!m_view->start());
  QCOMPARE(errors.size(), 1);
  QVERIFY(errors.last().at(1).toString().contains(QStringLiteral("learning rate")));
  QVERIFY(!m_view->isTraining());

  m_view->form()->setLearningRate(1e-3);
  m_view->form()->emaEdit()->setText(QStringLiteral("1.5"));
  QVERIFY(!m_view->start());
  QCOMPARE(errors.size(), 2);
  QVERIFY(errors.last().at(1).toString().contains(QStringLiteral("EMA")));

  m_view->form()->setEmaDecay(0.99);
  m_view->form()->setOutputPath(path(QStringLiteral("model.txt")));
  QVERIFY(!m_view->start());
  QVERIFY(errors.last().at(1).toString().contains(QStringLiteral(".safetensors")));

  m_view->form()->setOutputPath(path(QStringLiteral("never.safetensors")));
  m_view->form()->setDataSpec(QStringLiteral("csv:") + path(QStringLiteral("missing.csv")));
  QVERIFY(!m_view->start());
  QVERIFY(errors.last().at(1).toString().contains(QStringLiteral("missing.csv")));
  QVERIFY(!m_view->isTraining());
  QVERIFY(!QFileInfo::exists(path(QStringLiteral("never.safetensors"))));
}

void TestTrainingView::unreadableData_failsThroughTheErrorPath() {
  // A CSV file that exists but holds no points passes the form and fails in the worker.
  ddpm::test::writeText(path(QStringLiteral("words.csv")), "x,y\nnot,numbers\n");
  setTinyRun(m_view->form(), path(QStringLiteral("never.safetensors")));
  m_view->form()->setDataSpec(QStringLiteral("csv:") + path(QStringLiteral("words.csv")));
  QSignalSpy errors(m_view.get(), &TrainingView::errorReported);
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QVERIFY(m_view->start());
  const TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Failed));
  QCOMPARE(errors.size(), 1);
  QVERIFY(errors.last().at(1).toString().startsWith(QStringLiteral("Training could not start")));
  QVERIFY(!m_view->isTraining());
  QVERIFY(m_view->startButton()->isEnabled());
}

void TestTrainingView::nanLoss_stopsWithErrorAndKeepsLastGoodCheckpoint() {
  const QString good = path(QStringLiteral("good.safetensors"));
  setTinyRun(m_view->form(), good, 50);
  QSignalSpy ended(m_view.get(), &TrainingView::trainingEnded);
  QVERIFY(m_view->start());
  QCOMPARE(int(waitForEnd(ended).status), int(TrainingOutcome::Status::Finished));
  const QByteArray before = fileBytes(good);

  // Continue it with an absurd learning rate: the weights blow up and L_simple overflows.
  QVERIFY(m_view->continueFrom(good));
  m_view->form()->setTotalSteps(100);
  m_view->form()->setLearningRate(1e30);
  m_view->form()->setAutosaveEvery(1000);
  QSignalSpy errors(m_view.get(), &TrainingView::errorReported);
  QSignalSpy ready(m_view.get(), &TrainingView::checkpointReady);
  QVERIFY(m_view->start());
  const TrainingOutcome outcome = waitForEnd(ended);
  QCOMPARE(int(outcome.status), int(TrainingOutcome::Status::Failed));
  QVERIFY(outcome.step < 100);
  QCOMPARE(errors.size(), 1);
  const QString message = errors.last().at(1).toString();
  QVERIFY2(message.contains(QStringLiteral("NaN")) || message.contains(QStringLiteral("infinite")), qPrintable(message));
  QVERIFY2(message.contains(QStringLiteral("good.safetensors")), qPrintable(message));
  QVERIFY(ready.isEmpty());  // a broken run never becomes the window's model
  QCOMPARE(outcome.checkpointPath, QFileInfo(good).absoluteFilePath());

  // The last good checkpoint is byte for byte what it was, and loads.
  QCOMPARE(fileBytes(good), before);
  const CheckpointData checkpoint = load_checkpoint(good.toStdString());
  QCOMPARE(checkpoint.step, std::int64_t(50));
  QVERIFY(allFinite(checkpoint.weights));
}

void TestTrainingView::closeWindowWhileTraining_stopsAndKeepsCheckpoint() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setErrorDialogsEnabled(false);
  window.setTrainingClosePolicy(MainWindow::TrainingClosePolicy::StopAndSave);
  window.scheduleModel()->trySetSpec(tinySchedule());
  TrainingView* view = window.trainingView();
  QVERIFY(view);
  QVERIFY(window.setCurrentView(QStringLiteral("training")));
  window.show();
  const QString output = path(QStringLiteral("closed.safetensors"));
  setTinyRun(view->form(), output, 1'000'000);
  QSignalSpy progressed(view, &TrainingView::progressed);
  QVERIFY(view->start());
  QVERIFY(progressed.wait(kRunTimeoutMs));

  // With "Cancel" the window stays open and training goes on.
  window.setTrainingClosePolicy(MainWindow::TrainingClosePolicy::Cancel);
  QVERIFY(!window.close());
  QVERIFY(view->isTraining());

  window.setTrainingClosePolicy(MainWindow::TrainingClosePolicy::StopAndSave);
  QVERIFY(window.close());
  QVERIFY(!view->isTraining());  // close() returned only after the worker stopped
  const CheckpointData checkpoint = load_checkpoint(output.toStdString());
  QVERIFY(checkpoint.step > 0);
  QVERIFY(checkpoint.step < 1'000'000);
  QVERIFY(allFinite(checkpoint.weights));
}

void TestTrainingView::retrainButton_opensTrainingViewWithTheSchedule() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setErrorDialogsEnabled(false);
  ScheduleSpec cosine;
  cosine.kind = ScheduleKind::Cosine;
  cosine.steps = 200;
  QVERIFY(window.scheduleModel()->trySetSpec(cosine).isEmpty());
  QVERIFY(window.setCurrentView(QStringLiteral("schedule")));
  window.trainingView()->form()->setDataSpec(QStringLiteral("circles"));

  QTest::mouseClick(window.scheduleView()->retrainButton(), Qt::LeftButton);
  QCOMPARE(window.currentViewKey(), QStringLiteral("training"));
  TrainingConfig config;
  QStringList problems;
  QVERIFY2(window.trainingView()->form()->readConfig(&config, &problems), qPrintable(problems.join('\n')));
  QVERIFY(config.schedule == cosine);
  QCOMPARE(config.data, QStringLiteral("circles"));
  QCOMPARE(config.model, QStringLiteral("mlp"));
  QVERIFY(!config.isContinuation());
  QVERIFY(window.trainingView()->startButton()->isEnabled());
}

QTEST_MAIN(TestTrainingView)
#include "test_training_view.moc"
