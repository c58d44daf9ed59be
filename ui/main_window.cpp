#include "main_window.h"

#include "runtime/threads.h"
#include "views/schedule_view.h"

#include <QApplication>
#include <QMenuBar>
#include <QStatusBar>

namespace ddpm::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_scheduleView(new ScheduleView(this)) {
  setWindowTitle(tr("DDPM Studio"));
  setCentralWidget(m_scheduleView);
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  const int threads = configure_torch_threads();
  statusBar()->showMessage(tr("Torch threads: %1").arg(threads));
  resize(1200, 760);
}

}  // namespace ddpm::ui
