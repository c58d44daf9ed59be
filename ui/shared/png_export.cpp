#include "ui/shared/png_export.h"

#include <QCoreApplication>
#include <QImage>

namespace ddpm::ui {

bool writePng(const QImage& image, const QString& path, QString* error) {
  if (!image.isNull() && image.save(path, "PNG")) return true;
  if (error) *error = QCoreApplication::translate("ddpm::ui", "could not write '%1'").arg(path);
  return false;
}

}  // namespace ddpm::ui
