// training_view_bench: the Training view under load, through the whole window as a
// person uses it (MainWindow, its Training view, the session's worker thread).
//
//   training_view_bench latency [--data fashion-mnist] [--model unet-tiny] [--batch 64]
//                               [--seconds 60] [--threads 0] [--idle-seconds 5]
//     A QTimer asks to fire every 10 ms on the GUI thread (Qt::PreciseTimer) and records
//     how late each tick is (interval − 10 ms), first with the window idle, then while
//     the view trains. Prints p50 / p99 / max lateness and the step rate.
//   training_view_bench rate --data moons --model mlp --batch 256 --steps 3000 [--threads 1]
//     Trains from the view and prints the step rate of the training loop (steps taken /
//     seconds from the first step to the last, the definition `ddpm train`'s progress
//     line uses), for training_view_bench.sh to compare with the CLI.
// One JSON line per measurement on stdout. Checkpoints go to a temporary folder.
#include "ui/window/main_window.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_style.h"
#include "ui/training/training_form.h"
#include "ui/training/training_report.h"
#include "ui/training/training_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string mode = "latency";
  QString data = QStringLiteral("fashion-mnist");
  QString model = QStringLiteral("unet-tiny");
  int batch = 64;
  qint64 steps = 0;
  double seconds = 60;
  double idleSeconds = 5;
  int threads = 0;
  double preview = 5;
};

Options parse(int argc, char** argv) {
  Options o;
  if (argc > 1) o.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const char* value = argv[i + 1];
    if (key == "--data") o.data = QString::fromUtf8(value);
    else if (key == "--model") o.model = QString::fromUtf8(value);
    else if (key == "--batch") o.batch = std::atoi(value);
    else if (key == "--steps") o.steps = std::atoll(value);
    else if (key == "--seconds") o.seconds = std::atof(value);
    else if (key == "--idle-seconds") o.idleSeconds = std::atof(value);
    else if (key == "--threads") o.threads = std::atoi(value);
    else if (key == "--preview") o.preview = std::atof(value);
    else std::fprintf(stderr, "training_view_bench: unknown option %s\n", key.c_str());
  }
  return o;
}

struct Lateness {
  double p50 = 0, p99 = 0, max = 0;
  int ticks = 0;
};

Lateness summarise(std::vector<double> late) {
  Lateness out;
  if (late.empty()) return out;
  std::sort(late.begin(), late.end());
  auto at = [&](double q) { return late[std::min(late.size() - 1, static_cast<std::size_t>(q * (late.size() - 1) + 0.5))]; };
  out.p50 = at(0.50);
  out.p99 = at(0.99);
  out.max = late.back();
  out.ticks = static_cast<int>(late.size());
  return out;
}

// Runs the event loop for `seconds` with a 10 ms precise timer; returns each tick's lateness in ms.
std::vector<double> tickLateness(double seconds, const std::function<bool()>& keepGoing = {}) {
  std::vector<double> late;
  QElapsedTimer clock;
  QTimer timer;
  timer.setTimerType(Qt::PreciseTimer);
  timer.setInterval(10);
  QEventLoop loop;
  qint64 last = -1;
  QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
    const qint64 now = clock.nsecsElapsed();
    if (last >= 0) late.push_back(std::max(0.0, (now - last) * 1e-6 - 10.0));
    last = now;
    if (now > static_cast<qint64>(seconds * 1e9) || (keepGoing && !keepGoing())) loop.quit();
  });
  clock.start();
  timer.start();
  loop.exec();
  return late;
}

void printLateness(const char* phase, const Options& o, const Lateness& l, double stepsPerSecond) {
  std::printf("{\"bench\": \"training_view_latency\", \"phase\": \"%s\", \"data\": \"%s\", \"model\": \"%s\", "
              "\"batch\": %d, \"ticks\": %d, \"late_p50_ms\": %.2f, \"late_p99_ms\": %.2f, \"late_max_ms\": %.2f, "
              "\"steps_per_s\": %.3f}\n",
              phase, qPrintable(o.data), qPrintable(o.model), o.batch, l.ticks, l.p50, l.p99, l.max, stepsPerSecond);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("ddpm-studio-bench"));
  QStandardPaths::setTestModeEnabled(true);  // never the user's data folder
  ddpm::ui::applyStudioStyle(app);
  const Options o = parse(argc, argv);
  QTemporaryDir dir;

  ddpm::ui::MainWindow window(ddpm::ui::MainWindow::SettingsMode::Fresh);
  window.setErrorDialogsEnabled(false);
  window.setTrainingClosePolicy(ddpm::ui::MainWindow::TrainingClosePolicy::StopAndSave);
  window.resize(1440, 900);
  window.setCurrentView(QStringLiteral("training"));
  window.show();
  ddpm::ui::TrainingView* view = window.trainingView();
  ddpm::ui::TrainingForm* form = view->form();
  form->setDataSpec(o.data);
  form->setModel(o.model);
  form->setBatchSize(o.batch);
  form->setThreads(o.threads);
  form->setPreviewSeconds(o.preview);
  form->setDevice(QStringLiteral("cpu"));
  form->setOutputPath(dir.filePath(QStringLiteral("bench.safetensors")));
  QObject::connect(&window, &ddpm::ui::MainWindow::errorReported, [](const QString& title, const QString& message) {
    std::fprintf(stderr, "training_view_bench: %s: %s\n", qPrintable(title), qPrintable(message));
  });
  std::printf("# Qt platform %s, %d hardware threads\n", qPrintable(QGuiApplication::platformName()),
              QThread::idealThreadCount());

  ddpm::ui::TrainingOutcome outcome;
  bool ended = false;
  QObject::connect(view, &ddpm::ui::TrainingView::trainingEnded, [&](const ddpm::ui::TrainingOutcome& result) {
    outcome = result;
    ended = true;
  });

  if (o.mode == "latency") {
    QCoreApplication::processEvents();
    printLateness("idle", o, summarise(tickLateness(o.idleSeconds)), 0);
    form->setTotalSteps(10'000'000);
    if (!view->start()) return 1;
    // Wait for the first step (data loading and model building are not the loop's).
    qint64 firstStep = -1;
    QElapsedTimer clock;
    QObject::connect(view, &ddpm::ui::TrainingView::progressed, [&](qint64 step) {
      if (firstStep < 0) {
        firstStep = step;
        clock.start();
      }
    });
    while (firstStep < 0 && !ended) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    if (ended) return 1;
    const auto late = tickLateness(o.seconds, [&] { return !ended; });
    const double rate = (view->currentStep() - firstStep) / (clock.nsecsElapsed() * 1e-9);
    printLateness("training", o, summarise(late), rate);
    view->stop();
    while (!ended) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return 0;
  }
  if (o.mode == "rate") {
    form->setTotalSteps(o.steps > 0 ? o.steps : 1000);
    if (!view->start()) return 1;
    while (!ended) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    if (outcome.status != ddpm::ui::TrainingOutcome::Status::Finished) return 1;
    std::printf("{\"bench\": \"training_view_rate\", \"data\": \"%s\", \"model\": \"%s\", \"batch\": %d, "
                "\"threads\": %d, \"steps\": %lld, \"seconds\": %.3f, \"steps_per_s\": %.3f}\n",
                qPrintable(o.data), qPrintable(o.model), o.batch, o.threads, static_cast<long long>(outcome.stepsTaken),
                outcome.trainSeconds, outcome.stepsTaken / outcome.trainSeconds);
    return 0;
  }
  std::fprintf(stderr, "usage: training_view_bench latency|rate [options]\n");
  return 2;
}
