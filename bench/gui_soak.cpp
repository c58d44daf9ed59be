// gui_soak: the whole window, driven like a person would for a long time, while the
// process's memory, threads, open files and the GUI thread's responsiveness are recorded.
//
//   gui_soak [--minutes 30 | --cycles N [--exit-with-window]] [--csv gui_soak.csv] [--warmup-minutes 5] [--sample-seconds 10]
//            [--max-slope-mb-per-hour 10] [--fashion-every 4] [--train-steps 300] [--phases]
//   gui_soak --plot gui_soak.csv gui_soak_rss.png
//
// One cycle: in the Training view train the moons MLP (a few hundred steps, a preview
// every second, saved to a temporary file; every --fashion-every cycles also a short
// unet-tiny run on Fashion-MNIST when that data is installed), then in the Sampling view
// open the checkpoint just trained and the shipped moons and fashion-mnist ones, sample
// (DDPM for the 2D models, DDIM with η = 0 and η = 1 as well), play, scrub and step the
// trajectory, export the frame as PNG and the trajectory as GIF. Every --sample-seconds
// one CSV row: elapsed s, cycle, VmRSS and VmHWM (MB), the live heap (MB), threads, open file descriptors,
// the largest lateness of a 10 ms GUI timer in the interval, and the 1-minute load average.
// At the end (after closing the window while a sampling run is in flight) a summary:
// RSS after the warm-up and at the end, the least-squares slope of RSS over the samples
// after the warm-up (MB/hour), the same for the floor (the least RSS of each minute), the
// largest lateness, the longest GUI-thread calls, cycles, errors. Exit 1 on any error
// (an errorReported, a failed run, an export or load that failed) or when the floor's
// slope is above --max-slope-mb-per-hour; 0 otherwise.
//
// Settings go to a temporary folder (QSettings' user scope is redirected), so the user's
// own DDPM Studio settings are never read or written.
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/runtime/memory.h"

#include "ui/window/main_window.h"
#include "ui/shared/studio_style.h"
#include "ui/training/loss_history.h"
#include "ui/training/training_form.h"
#include "ui/training/training_report.h"
#include "ui/sampling/sampling_view.h"
#include "ui/training/training_view.h"
#include "ui/sampling/sampling_settings.h"
#include "ui/sampling/trajectory_store.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using namespace ddpm::ui;

struct Options {
  double minutes = 30;
  double warmupMinutes = 5;
  double sampleSeconds = 10;
  double maxSlope = 10;  // MB per hour after the warm-up (issue 22's limit)
  int fashionEvery = 4;  // 0: never
  int trainSteps = 300;
  int cycles = 0;               // > 0: stop after this many cycles instead of after --minutes
  bool keepWindow = false;      // exit with the window alive, so a heap profiler lists what it holds
  bool phases = false;          // print the live heap after every phase of a cycle (which one keeps memory?)
  QString csv = QStringLiteral("gui_soak.csv");
  QString plotIn, plotOut;
};

Options parse(const QStringList& args) {
  Options o;
  for (int i = 1; i < args.size(); ++i) {
    const QString key = args[i];
    auto next = [&]() -> QString { return i + 1 < args.size() ? args[++i] : QString(); };
    if (key == QLatin1String("--minutes")) o.minutes = next().toDouble();
    else if (key == QLatin1String("--warmup-minutes")) o.warmupMinutes = next().toDouble();
    else if (key == QLatin1String("--sample-seconds")) o.sampleSeconds = next().toDouble();
    else if (key == QLatin1String("--max-slope-mb-per-hour")) o.maxSlope = next().toDouble();
    else if (key == QLatin1String("--fashion-every")) o.fashionEvery = next().toInt();
    else if (key == QLatin1String("--train-steps")) o.trainSteps = next().toInt();
    else if (key == QLatin1String("--cycles")) o.cycles = next().toInt();
    else if (key == QLatin1String("--exit-with-window")) o.keepWindow = true;
    else if (key == QLatin1String("--phases")) o.phases = true;
    else if (key == QLatin1String("--csv")) o.csv = next();
    else if (key == QLatin1String("--plot")) {
      o.plotIn = next();
      o.plotOut = next();
    } else std::fprintf(stderr, "gui_soak: unknown option %s\n", qPrintable(key));
  }
  return o;
}

// ---- what the process uses ----------------------------------------------------------

struct Usage {
  double rssMb = 0, peakMb = 0;
  double heapMb = 0;  // live heap blocks (ddpm::heap_allocated_bytes): a leak raises it, fragmentation does not
  int threads = 0, fds = 0;
};

Usage readUsage() {
  Usage u;
  QFile status(QStringLiteral("/proc/self/status"));
  if (status.open(QIODevice::ReadOnly)) {
    for (const QByteArray& line : status.readAll().split('\n')) {
      auto value = [&] { return line.mid(line.indexOf(':') + 1).trimmed().split(' ').first().toDouble(); };
      if (line.startsWith("VmRSS:")) u.rssMb = value() / 1024.0;
      else if (line.startsWith("VmHWM:")) u.peakMb = value() / 1024.0;
      else if (line.startsWith("Threads:")) u.threads = static_cast<int>(value());
    }
  }
  u.heapMb = ddpm::heap_allocated_bytes() / 1048576.0;
  u.fds = static_cast<int>(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot |
                                                                            QDir::System).size());
  return u;
}

double loadAverage() {
  QFile file(QStringLiteral("/proc/loadavg"));
  if (!file.open(QIODevice::ReadOnly)) return -1;
  return file.readAll().split(' ').first().toDouble();
}

struct Row {
  double elapsed = 0;
  int cycle = 0;
  Usage usage;
  double lateMaxMs = 0;
  double load = 0;
};

// Least-squares slope of y against x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  if (x.size() < 2) return 0;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const double d = n * sxx - sx * sx;
  return d > 0 ? (n * sxy - sx * sy) / d : 0;
}

// The floor of one measure: its least value in each minute after the warm-up. A
// Fashion-MNIST run holds its data (~200 MB) for a minute or so; how often such spikes
// fall in the window depends on the machine's load, so they tilt the slope of all
// samples. What stays after them is the floor.
struct Floor {
  std::vector<double> hours, mb;
  double first() const { return mb.empty() ? 0.0 : mb.front(); }
  double last() const { return mb.empty() ? 0.0 : mb.back(); }
};

Floor floorOf(const std::vector<Row>& rows, double warmupMinutes, double Usage::*measure) {
  Floor f;
  for (const Row& r : rows) {
    if (r.elapsed < warmupMinutes * 60) continue;
    const double minute = std::floor(r.elapsed / 60.0);
    const double value = r.usage.*measure;
    if (f.hours.empty() || std::floor(f.hours.back() * 60.0 + 1e-9) != minute) {
      f.hours.push_back(minute / 60.0);
      f.mb.push_back(value);
    } else {
      f.mb.back() = std::min(f.mb.back(), value);
    }
  }
  return f;
}

// ---- the plot (QCustomPlot renders offscreen) ---------------------------------------

int plotCsv(const QString& in, const QString& out) {
  QFile file(in);
  if (!file.open(QIODevice::ReadOnly)) {
    std::fprintf(stderr, "gui_soak: cannot read %s\n", qPrintable(in));
    return 2;
  }
  QVector<double> minutes, rss, peak, heap, load;
  const QList<QByteArray> lines = file.readAll().split('\n');
  for (int i = 1; i < lines.size(); ++i) {
    const QList<QByteArray> f = lines[i].split(',');
    if (f.size() < 10) continue;
    minutes << f[0].toDouble() / 60.0;
    rss << f[2].toDouble();
    peak << f[3].toDouble();
    heap << f[4].toDouble();
    load << f[8].toDouble();
  }
  QCustomPlot plot;
  plot.resize(900, 420);
  plot.plotLayout()->insertRow(0);
  plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, QStringLiteral("DDPM Studio GUI soak: resident memory"),
                                                         QFont(QStringLiteral("sans"), 11, QFont::Bold)));
  QCPGraph* r = plot.addGraph();
  r->setData(minutes, rss);
  r->setName(QStringLiteral("RSS (VmRSS)"));
  r->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2));
  QCPGraph* p = plot.addGraph();
  p->setData(minutes, peak);
  p->setName(QStringLiteral("peak RSS (VmHWM)"));
  p->setPen(QPen(QColor(0xd6, 0x27, 0x28), 1.5, Qt::DashLine));
  QCPGraph* h = plot.addGraph();
  h->setData(minutes, heap);
  h->setName(QStringLiteral("live heap (allocated blocks)"));
  h->setPen(QPen(QColor(0x2c, 0xa0, 0x2c), 1.5));
  QCPGraph* l = plot.addGraph(plot.xAxis, plot.yAxis2);
  l->setData(minutes, load);
  l->setName(QStringLiteral("load average, 1 min (right axis)"));
  l->setPen(QPen(QColor(0x99, 0x99, 0x99), 1));
  plot.xAxis->setLabel(QStringLiteral("minutes"));
  plot.yAxis->setLabel(QStringLiteral("MB"));
  plot.yAxis2->setVisible(true);
  plot.yAxis2->setLabel(QStringLiteral("load (2 cores)"));
  plot.rescaleAxes();
  const double top = *std::max_element(peak.begin(), peak.end());
  plot.yAxis->setRange(0, top * 1.15);
  plot.yAxis2->setRange(0, std::max(4.0, *std::max_element(load.begin(), load.end()) * 1.15));
  plot.legend->setVisible(true);
  plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
  if (!plot.savePng(out, 900, 420)) {
    std::fprintf(stderr, "gui_soak: cannot write %s\n", qPrintable(out));
    return 2;
  }
  std::printf("gui_soak: wrote %s (%lld samples)\n", qPrintable(out), static_cast<long long>(minutes.size()));
  return 0;
}

// ---- the driver ---------------------------------------------------------------------

class Soak {
 public:
  Soak(const Options& o, MainWindow& window, const QString& work) : m_o(o), m_window(window), m_work(work) {}

  int errors() const { return m_errors; }
  int cycles() const { return m_cycles; }
  const std::vector<Row>& rows() const { return m_rows; }
  double lateMaxAll() const { return m_lateMaxAll; }

  void error(const QString& what) {
    ++m_errors;
    std::fprintf(stderr, "gui_soak: ERROR (cycle %d, %.0f s): %s\n", m_cycles, m_clock.elapsed() / 1000.0,
                 qPrintable(what));
  }

  void begin() {
    m_clock.start();
    // The 10 ms timer whose lateness says whether the window stays responsive.
    m_tick.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(10);
    QObject::connect(&m_tick, &QTimer::timeout, [this] {
      const qint64 now = m_clock.nsecsElapsed();
      if (m_lastTick >= 0) m_lateMax = std::max(m_lateMax, std::max(0.0, (now - m_lastTick) * 1e-6 - 10.0));
      m_lastTick = now;
    });
    m_tick.start();
    m_sampler.setInterval(static_cast<int>(m_o.sampleSeconds * 1000));
    QObject::connect(&m_sampler, &QTimer::timeout, [this] { record(); });
    m_sampler.start();
    m_csv.setFileName(m_o.csv);
    if (!m_csv.open(QIODevice::WriteOnly | QIODevice::Truncate)) error(QStringLiteral("cannot write %1").arg(m_o.csv));
    m_csv.write("elapsed_s,cycle,rss_mb,peak_rss_mb,heap_mb,threads,fds,late_max_ms,load1,errors\n");
    m_csv.flush();
    record();
  }

  bool timeUp() const {
    if (m_o.cycles > 0) return m_cycles >= m_o.cycles;
    return m_clock.elapsed() > static_cast<qint64>(m_o.minutes * 60'000);
  }

  void record() {
    Row row;
    row.elapsed = m_clock.elapsed() / 1000.0;
    row.cycle = m_cycles;
    row.usage = readUsage();
    row.lateMaxMs = m_lateMax;
    row.load = loadAverage();
    m_lateMaxAll = std::max(m_lateMaxAll, m_lateMax);
    m_lateMax = 0;
    m_rows.push_back(row);
    m_csv.write(QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10\n")
                    .arg(row.elapsed, 0, 'f', 1)
                    .arg(row.cycle)
                    .arg(row.usage.rssMb, 0, 'f', 1)
                    .arg(row.usage.peakMb, 0, 'f', 1)
                    .arg(row.usage.heapMb, 0, 'f', 1)
                    .arg(row.usage.threads)
                    .arg(row.usage.fds)
                    .arg(row.lateMaxMs, 0, 'f', 1)
                    .arg(row.load, 0, 'f', 2)
                    .arg(m_errors)
                    .toUtf8());
    m_csv.flush();
    std::printf("t=%6.0f s cycle %3d  RSS %7.1f MB (peak %7.1f, heap %7.1f)  threads %2d  fds %3d  late max %6.1f ms  load %.2f\n",
                row.elapsed, row.cycle, row.usage.rssMb, row.usage.peakMb, row.usage.heapMb, row.usage.threads, row.usage.fds,
                row.lateMaxMs, row.load);
    std::fflush(stdout);
  }

  // How long the longest call of each kind made on the GUI thread took (what blocks it).
  template <typename F>
  auto timed(const char* kind, F&& f) {
    QElapsedTimer t;
    t.start();
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      note(kind, t.elapsed());
    } else {
      auto result = f();
      note(kind, t.elapsed());
      return result;
    }
  }
  void note(const char* kind, qint64 ms) {
    for (auto& [name, worst] : m_longest)
      if (name == kind) {
        worst = std::max(worst, ms);
        return;
      }
    m_longest.emplace_back(kind, ms);
  }
  const std::vector<std::pair<std::string, qint64>>& longest() const { return m_longest; }

  // Runs the event loop until `done` or `ms` pass; false on the time-out.
  static bool waitUntil(const std::function<bool()>& done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
      if (t.elapsed() > ms) return false;
      QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
  }
  static void idle(int ms) {
    waitUntil([] { return false; }, ms);
  }

  // Trains in the Training view; returns the checkpoint written (empty on failure).
  QString train(const QString& data, const QString& model, int batch, int steps, const QString& file) {
    m_window.setCurrentView(QStringLiteral("training"));
    TrainingView* view = m_window.trainingView();
    TrainingForm* form = view->form();
    view->newRun();
    form->setDataSpec(data);
    form->setModel(model);
    form->setBatchSize(batch);
    form->setTotalSteps(steps);
    form->setThreads(model == QLatin1String("mlp") ? 1 : 0);
    form->setPreviewSeconds(1.0);
    form->setAutosaveEvery(std::max(1, steps / 2));
    form->setDevice(QStringLiteral("cpu"));
    form->setSeed(static_cast<quint64>(m_cycles + 1));
    form->setOutputPath(m_work + QLatin1Char('/') + file);
    bool ended = false;
    TrainingOutcome outcome;
    QString ready;
    auto c1 = QObject::connect(view, &TrainingView::trainingEnded, [&](const TrainingOutcome& o) {
      outcome = o;
      ended = true;
    });
    auto c2 = QObject::connect(view, &TrainingView::checkpointReady, [&](const QString& path) { ready = path; });
    QString result;
    if (!timed("start training", [&] { return view->start(); })) {
      error(QStringLiteral("training %1/%2 did not start").arg(data, model));
    } else if (!waitUntil([&] { return ended; }, 15 * 60'000)) {
      error(QStringLiteral("training %1/%2 did not end within 15 min").arg(data, model));
      view->stopAndWait(60'000);
    } else if (outcome.status != TrainingOutcome::Status::Finished) {
      error(QStringLiteral("training %1/%2 ended with: %3").arg(data, model, outcome.message));
    } else if (ready.isEmpty()) {
      error(QStringLiteral("training %1/%2 finished without announcing its checkpoint").arg(data, model));
    } else if (view->history().size() == 0) {
      error(QStringLiteral("training %1/%2 drew no loss").arg(data, model));
    } else {
      result = ready;
    }
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    return result;
  }

  // Samples the current model with `settings`, then plays, scrubs and exports.
  void sample(const QString& label, SamplingSettings settings, int gifFrames) {
    timed("switch view", [&] { m_window.setCurrentView(QStringLiteral("sampling")); });
    SamplingView* view = m_window.samplingView();
    view->setSettings(settings);
    bool ended = false, ok = false;
    auto c = QObject::connect(view, &SamplingView::runEnded, [&](bool good) {
      ended = true;
      ok = good;
    });
    if (!timed("start sampling", [&] { return view->startSampling(); })) {
      error(QStringLiteral("%1: sampling did not start: %2").arg(label, view->message()));
    } else if (!waitUntil([&] { return ended; }, 10 * 60'000)) {
      error(QStringLiteral("%1: sampling did not end within 10 min").arg(label));
      view->stopSampling();
      waitUntil([&] { return ended; }, 60'000);
    } else if (!ok) {
      error(QStringLiteral("%1: sampling failed: %2").arg(label, view->message()));
    } else if (!view->store().isComplete()) {
      error(QStringLiteral("%1: the trajectory is incomplete").arg(label));
    }
    QObject::disconnect(c);
    if (view->store().isEmpty()) return;
    // Play for a while, then scrub and step as a person exploring the run would.
    view->setSpeed(250);
    view->setFrame(0);
    view->play();
    idle(800);
    view->pause();
    const int last = view->store().count() - 1;
    for (int i = 0; i <= 20; ++i) {
      view->scrubber()->setValue(last * i / 20);
      QCoreApplication::processEvents();
    }
    for (int i = 0; i < 5; ++i) view->stepBack();
    for (int i = 0; i < 3; ++i) view->stepForward();
    QCoreApplication::processEvents();
    if (view->currentFrame() != last - 2) error(QStringLiteral("%1: stepping ended on frame %2, not %3").arg(label).arg(view->currentFrame()).arg(last - 2));
    QString why;
    const QString png = m_work + QStringLiteral("/frame.png");
    QFile::remove(png);
    if (!timed("PNG export", [&] { return view->exportImage(png, &why); }) || QFileInfo(png).size() == 0) error(QStringLiteral("%1: PNG export: %2").arg(label, why));
    const QString gif = m_work + QStringLiteral("/trajectory.gif");
    QFile::remove(gif);
    if (timed("GIF export", [&] { return view->exportGif(gif, &why, gifFrames); }) <= 0 || QFileInfo(gif).size() == 0)
      error(QStringLiteral("%1: GIF export: %2").arg(label, why));
  }

  // With --phases: one line per phase, "phase CYCLE NAME HEAP_KB", once the events it
  // queued have run, so a phase that keeps memory shows as a rising column.
  void phase(const char* name) {
    if (!m_o.phases) return;
    QCoreApplication::processEvents();
    std::printf("phase %d %s %.1f\n", m_cycles, name, ddpm::heap_allocated_bytes() / 1024.0);
    std::fflush(stdout);
  }

  void open(const QString& path) {
    if (!timed("open checkpoint", [&] { return m_window.openCheckpoint(path); })) error(QStringLiteral("could not open %1").arg(path));
  }

  void cycle(const QString& moons, const QString& fashion, bool fashionData) {
    SamplingSettings ddpm2d;
    ddpm2d.samples = 500;
    ddpm2d.seed = static_cast<quint64>(m_cycles);
    SamplingSettings ddim2d = ddpm2d;
    ddim2d.sampler = SamplingSettings::Sampler::DDIM;
    ddim2d.steps = 50;
    ddim2d.eta = 1.0;
    SamplingSettings ddimImages;
    ddimImages.sampler = SamplingSettings::Sampler::DDIM;
    ddimImages.steps = 10;
    ddimImages.samples = 4;
    ddimImages.clipX0 = true;
    ddimImages.seed = static_cast<quint64>(m_cycles);

    const QString trained = train(QStringLiteral("moons"), QStringLiteral("mlp"), 256, m_o.trainSteps,
                                  QStringLiteral("soak_moons.safetensors"));
    if (!trained.isEmpty()) {
      // checkpointReady made it the window's model; open it again as a person would.
      phase("train-moons");
      open(trained);
      sample(QStringLiteral("trained moons, DDPM"), ddpm2d, 60);
      phase("sample-trained-ddpm");
      sample(QStringLiteral("trained moons, DDIM η=1"), ddim2d, 60);
      phase("sample-trained-ddim");
    }
    open(moons);
    sample(QStringLiteral("shipped moons, DDPM"), ddpm2d, 60);
    phase("sample-moons");
    open(fashion);
    sample(QStringLiteral("shipped fashion-mnist, DDIM"), ddimImages, 11);
    phase("sample-fashion");
    if (fashionData && m_o.fashionEvery > 0 && m_cycles % m_o.fashionEvery == 0) {
      const QString images = train(QStringLiteral("fashion-mnist"), QStringLiteral("unet-tiny"), 16, 20,
                                   QStringLiteral("soak_fashion.safetensors"));
      if (!images.isEmpty()) {
        open(images);
        ddimImages.steps = 5;
        sample(QStringLiteral("trained fashion-mnist, DDIM"), ddimImages, 6);
      }
      phase("train-fashion");
    }
    ++m_cycles;
  }

 private:
  const Options& m_o;
  MainWindow& m_window;
  QString m_work;
  QElapsedTimer m_clock;
  QTimer m_tick, m_sampler;
  qint64 m_lastTick = -1;
  double m_lateMax = 0, m_lateMaxAll = 0;
  std::vector<Row> m_rows;
  std::vector<std::pair<std::string, qint64>> m_longest;
  QFile m_csv;
  int m_errors = 0;
  int m_cycles = 0;
};

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  const Options o = parse(QApplication::arguments());
  if (!o.plotIn.isEmpty()) return plotCsv(o.plotIn, o.plotOut);

  QTemporaryDir settingsDir, work;
  QApplication::setApplicationName(QStringLiteral("ddpm-studio-soak"));
  QApplication::setOrganizationName(QStringLiteral("DDPM Studio Soak"));
  QStandardPaths::setTestModeEnabled(true);
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
  ddpm::ui::applyStudioStyle(app);

  QString moons, fashion;
  try {  // the shipped checkpoints, found as the app finds them
    moons = QString::fromStdString(ddpm::resolve_checkpoint("moons"));
    fashion = QString::fromStdString(ddpm::resolve_checkpoint("fashion-mnist"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gui_soak: %s\n", e.what());
    return 2;
  }
  const bool fashionData = QFileInfo::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
  std::printf("# gui_soak: %.1f min, Qt platform %s, warm-up %.1f min, Fashion-MNIST data %s, work folder %s\n",
              o.minutes, qPrintable(QGuiApplication::platformName()), o.warmupMinutes,
              fashionData ? "installed" : "missing (image training skipped)", qPrintable(work.path()));

  auto* window = new MainWindow(MainWindow::SettingsMode::Persistent);
  window->setErrorDialogsEnabled(false);  // a modal box would stop the soak; errorReported is counted instead
  window->setTrainingClosePolicy(MainWindow::TrainingClosePolicy::StopAndSave);
  window->openStartupModel();
  window->show();

  Soak soak(o, *window, work.path());
  QObject::connect(window, &MainWindow::errorReported, [&](const QString& title, const QString& message) {
    soak.error(QStringLiteral("errorReported: %1: %2").arg(title, message));
  });
  soak.begin();
  while (!soak.timeUp()) soak.cycle(moons, fashion, fashionData);
  soak.record();
  if (o.keepWindow) {
    // For heaptrack: what is still allocated at the end is what the process holds after
    // --cycles cycles; two runs of different lengths, diffed, show what grows per cycle.
    // Killed, not exited, so that no destructor (of the window, of a static cache) frees
    // anything first.
    QCoreApplication::processEvents();
    std::fflush(stdout);
    std::raise(SIGKILL);
  }

  // Close the window while a sampling run is in flight: it must close at once.
  window->openCheckpoint(moons);
  window->setCurrentView(QStringLiteral("sampling"));
  SamplingSettings longRun;
  longRun.samples = 5000;
  window->samplingView()->setSettings(longRun);
  window->samplingView()->startSampling();
  Soak::waitUntil([&] { return window->samplingView()->store().count() > 2; }, 60'000);
  QElapsedTimer closing;
  closing.start();
  const bool closed = window->close();
  delete window;
  const double closeSeconds = closing.elapsed() / 1000.0;
  if (!closed) soak.error(QStringLiteral("the window refused to close during sampling"));
  if (closeSeconds > 5) soak.error(QStringLiteral("closing during sampling took %1 s").arg(closeSeconds));

  // Summary over the samples after the warm-up.
  const auto& rows = soak.rows();
  std::vector<double> hours, rss;
  const Row* warm = nullptr;
  for (const Row& r : rows) {
    if (r.elapsed < o.warmupMinutes * 60) continue;
    if (!warm) warm = &r;
    hours.push_back(r.elapsed / 3600.0);
    rss.push_back(r.usage.rssMb);
  }
  const Row& end = rows.back();
  const double mbPerHour = slope(hours, rss);
  const Floor floorRss = floorOf(rows, o.warmupMinutes, &Usage::rssMb);
  const Floor floorHeap = floorOf(rows, o.warmupMinutes, &Usage::heapMb);
  const double floorPerHour = slope(floorRss.hours, floorRss.mb);
  double loadMin = 1e9, loadMax = 0, loadSum = 0;
  for (const Row& r : rows) {
    loadMin = std::min(loadMin, r.load);
    loadMax = std::max(loadMax, r.load);
    loadSum += r.load;
  }
  std::printf("# summary: %.1f min, %d cycles, %zu samples, %d errors\n", end.elapsed / 60, soak.cycles(), rows.size(),
              soak.errors());
  std::printf("# RSS: start %.1f MB, after warm-up (%.0f s) %.1f MB, end %.1f MB, peak (VmHWM) %.1f MB\n",
              rows.front().usage.rssMb, warm ? warm->elapsed : 0.0, warm ? warm->usage.rssMb : 0.0, end.usage.rssMb,
              end.usage.peakMb);
  std::printf("# RSS slope after warm-up: %.1f MB/hour (least squares over %zu samples; limit %.0f)\n", mbPerHour,
              rss.size(), o.maxSlope);
  std::printf("# RSS floor (least RSS of each minute): after warm-up %.1f MB, end %.1f MB, slope %.1f MB/hour\n",
              floorRss.first(), floorRss.last(), floorPerHour);
  std::printf("# live heap floor (least of each minute): after warm-up %.1f MB, end %.1f MB, slope %.1f MB/hour\n",
              floorHeap.first(), floorHeap.last(), slope(floorHeap.hours, floorHeap.mb));
  std::printf("# threads: after warm-up %d, end %d; open fds: after warm-up %d, end %d\n", warm ? warm->usage.threads : 0,
              end.usage.threads, warm ? warm->usage.fds : 0, end.usage.fds);
  std::printf("# GUI timer lateness: max %.1f ms\n", soak.lateMaxAll());
  std::printf("# load average (1 min): min %.2f, mean %.2f, max %.2f\n", loadMin, loadSum / rows.size(), loadMax);
  std::printf("# close during sampling: %.2f s\n", closeSeconds);
  std::printf("# longest single GUI-thread calls:");
  for (const auto& [kind, ms] : soak.longest()) std::printf(" %s %lld ms;", kind.c_str(), static_cast<long long>(ms));
  std::printf("\n");
  bool pass = soak.errors() == 0;
  // The limit applies to the floor: the spikes of single runs come and go (see above).
  if (floorRss.mb.size() >= 3 && floorPerHour > o.maxSlope) {
    std::printf("# FAIL: the RSS floor grows %.1f MB/hour after the warm-up\n", floorPerHour);
    pass = false;
  }
  if (warm && end.usage.fds > warm->usage.fds + 16) {
    std::printf("# FAIL: open file descriptors grew from %d to %d\n", warm->usage.fds, end.usage.fds);
    pass = false;
  }
  std::printf("# %s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
