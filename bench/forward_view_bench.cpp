// forward_view_bench: how many Forward-view updates per second while t is dragged, for
// the two cases the view is designed around — a 4 × 4 grid of 28 × 28 Fashion-MNIST
// images and 2,000 2D points. Three levels are timed:
//   engine  ForwardEngine::frame(t): x_t by eq. 4 (core's q_sample), mean/variance,
//           histogram, picture rendered to a QImage;
//   view    ForwardView::refreshNow() after a cursor move: the engine frame plus handing
//           the pictures to the panels and the histogram its bars;
//   paint   view, then the histogram replotted and the whole view repainted (offscreen
//           raster): an upper bound, since a drag repaints only what changed;
//   slider  the real path: the view's slider moved, then one pass of the event loop
//           (coalesced frame, queued histogram replot, paint of the dirty widgets).
// t moves by 7 steps per update, as a quick drag does. Prints one JSON line per case.
#include "core/runtime/threads.h"
#include "core/schedule/noise_schedule.h"

#include "ui/forward/forward_engine.h"
#include "ui/shared/playback.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_style.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/forward/forward_view.h"
#include "ui/forward/histogram_plot.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QSlider>
#include <QThread>

#include <cstdio>
#include <functional>

namespace {

struct Rate {
  double perSecond = 0;
  double msPerUpdate = 0;
  int updates = 0;
};

// Runs `update(t)` for at least `seconds`, moving t by 7 each time.
Rate measure(const std::function<void(int)>& update, double seconds) {
  for (int t = 0; t < 20; ++t) update(t * 7 % 1000);  // warm up caches and allocators
  QElapsedTimer clock;
  clock.start();
  int n = 0;
  while (clock.nsecsElapsed() < static_cast<qint64>(seconds * 1e9)) {
    update((n * 7) % 1000);
    ++n;
  }
  const double elapsed = clock.nsecsElapsed() * 1e-9;
  return {n / elapsed, 1000.0 * elapsed / n, n};
}

void report(const char* data, const char* level, const Rate& rate) {
  std::printf("{\"bench\": \"forward_view\", \"data\": \"%s\", \"level\": \"%s\", \"updates_per_s\": %.1f, "
              "\"ms_per_update\": %.3f, \"updates\": %d}\n",
              data, level, rate.perSecond, rate.msPerUpdate, rate.updates);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  ddpm::ui::applyStudioStyle(app);
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const int threads = ddpm::configure_torch_threads();
  std::printf("# %d hardware threads, torch threads %d, Qt platform %s, %.1f s per case\n",
              QThread::idealThreadCount(), threads, qPrintable(QGuiApplication::platformName()), seconds);

  ddpm::ui::ScheduleModel model;
  ddpm::ui::TimestepCursor cursor;
  cursor.setSteps(model.steps());
  ddpm::ui::Playback playback(&cursor);
  ddpm::ui::ForwardView view(&model, &cursor, &playback);
  view.resize(1200, 760);  // the view's share of a 1440 × 900 window
  view.show();
  QCoreApplication::processEvents();

  struct Case {
    const char* name;
    QString source;
  };
  int status = 0;
  for (const Case& c : {Case{"fashion-mnist 4x4 28x28", QStringLiteral("fashion-mnist")},
                        Case{"2000 2D points (swissroll)", QStringLiteral("swissroll")}}) {
    if (!view.setSource(c.source)) {
      std::printf("# %s skipped: %s\n", c.name, qPrintable(view.message()));
      status = 1;
      continue;
    }
    QCoreApplication::processEvents();
    const ddpm::ui::ForwardEngine& engine = view.engine();
    report(c.name, "engine", measure([&](int t) { (void)engine.frame(t); }, seconds));
    report(c.name, "view", measure([&](int t) {
                             cursor.setT(t);
                             view.refreshNow();
                           },
                           seconds));
    report(c.name, "paint", measure([&](int t) {
                              cursor.setT(t);
                              view.refreshNow();
                              view.histogram()->plot()->replot(QCustomPlot::rpImmediateRefresh);
                              view.repaint();
                            },
                            seconds));
    QSlider* slider = view.findChild<QSlider*>(QStringLiteral("timestepSlider"));
    report(c.name, "slider", measure([&](int t) {
                               slider->setValue(t);
                               QCoreApplication::processEvents();
                             },
                             seconds));
  }
  return status;
}
