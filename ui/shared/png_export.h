#pragma once

#include <QString>

class QImage;

namespace ddpm::ui {

/// Saves `image` as a PNG file at `path`. False, with "could not write 'PATH'" in *error
/// (when error is given), for an empty image or a file that cannot be written.
bool writePng(const QImage& image, const QString& path, QString* error);

}  // namespace ddpm::ui
