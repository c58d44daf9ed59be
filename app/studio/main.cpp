// ddpm-studio: the desktop application. Wiring only; the window lives in ui/.
#include "main_window.h"

#include <QApplication>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("DDPM Studio");
  QApplication::setOrganizationName("DDPM Studio");
  QApplication::setApplicationVersion(DDPM_VERSION);
  ddpm::ui::MainWindow window;
  window.show();
  return QApplication::exec();
}
