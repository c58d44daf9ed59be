// ddpm-studio: the desktop application. Wiring only; the window lives in ui/.
#include "core/util/version.h"
#include "ui/window/automation_probe.h"
#include "ui/window/main_window.h"
#include "ui/window/studio_options.h"
#include "ui/shared/studio_style.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/sampling/sampling_view.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

namespace {

using Action = ddpm::ui::StudioOptionsResult::Action;

// Prints --help or --version; false for anything else.
bool answered(const ddpm::ui::StudioOptionsResult& parsed) {
  if (parsed.action != Action::Help && parsed.action != Action::Version) return false;
  std::fputs(qPrintable(parsed.text + '\n'), stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication::setApplicationName("DDPM Studio");
  QCoreApplication::setOrganizationName("DDPM Studio");
  QCoreApplication::setApplicationVersion(QString::fromStdString(ddpm::ddpm_version()));
  {
    // --help and --version answer before any display is opened (help2man, ssh, CI); the
    // rest waits for QApplication, which first removes Qt's own -platform, -style, ….
    const QCoreApplication noDisplay(argc, argv);
    if (answered(ddpm::ui::parseStudioOptions(QCoreApplication::arguments()))) return 0;
  }

  QApplication app(argc, argv);
  QGuiApplication::setDesktopFileName("ddpm-studio");
  const auto parsed = ddpm::ui::parseStudioOptions(QApplication::arguments());
  if (answered(parsed)) return 0;
  if (parsed.action == Action::Error) {
    std::fprintf(stderr, "ddpm-studio: error: %s\n", qPrintable(parsed.text));
    return 2;
  }
  const auto& options = parsed.options;

  ddpm::ui::applyStudioStyle(app);
  using Mode = ddpm::ui::MainWindow::SettingsMode;
  ddpm::ui::MainWindow window(options.fresh ? Mode::Fresh : Mode::Persistent);
  if (options.checkpoint.isEmpty() && !options.noModel) window.openStartupModel();
  const QString error = window.applyOptions(options);
  if (!error.isEmpty()) {
    std::fprintf(stderr, "ddpm-studio: error: %s\n", qPrintable(error));
    return 2;
  }
  window.show();
  if (options.automation) new ddpm::ui::AutomationProbe(&window);  // owned by the window

  if (!options.screenshot.isEmpty()) {
    // With --sample the picture waits until the sampling run has ended.
    auto shoot = [&] {
      QTimer::singleShot(options.screenshotDelayMs, &window, [&] {
        QString why;
        if (!window.saveScreenshot(options.screenshot, &why)) {
          std::fprintf(stderr, "ddpm-studio: error: %s\n", qPrintable(why));
          QApplication::exit(1);
          return;
        }
        window.close();
      });
    };
    if (!options.evaluate.isEmpty())  // --evaluate: the picture waits until the evaluation has ended
      QObject::connect(window.evaluateView(), &ddpm::ui::EvaluateView::runEnded, &window, shoot);
    else if (options.sample) QObject::connect(window.samplingView(), &ddpm::ui::SamplingView::runEnded, &window, shoot);
    else shoot();
  }
  return QApplication::exec();
}
