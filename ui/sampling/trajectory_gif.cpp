#include "core/io/atomic_file.h"
#include "core/io/gif_writer.h"
#include "core/sampling/trajectory.h"

#include "ui/sampling/trajectory_gif.h"

#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"

#include <QCoreApplication>

#include <algorithm>
#include <memory>

namespace ddpm::ui {

namespace {

Image8 toImage8(const QImage& picture, bool grey) {
  const QImage rgb = picture.convertToFormat(QImage::Format_RGB32);
  Image8 image;
  image.width = rgb.width();
  image.height = rgb.height();
  image.channels = grey ? 1 : 3;
  image.pixels.resize(static_cast<std::size_t>(image.width * image.height * image.channels));
  std::size_t i = 0;
  for (int y = 0; y < rgb.height(); ++y) {
    const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
    for (int x = 0; x < rgb.width(); ++x) {
      if (grey) {
        image.pixels[i++] = static_cast<std::uint8_t>(qRed(line[x]));
      } else {
        image.pixels[i++] = static_cast<std::uint8_t>(qRed(line[x]));
        image.pixels[i++] = static_cast<std::uint8_t>(qGreen(line[x]));
        image.pixels[i++] = static_cast<std::uint8_t>(qBlue(line[x]));
      }
    }
  }
  return image;
}

}  // namespace

int writeTrajectoryGif(const TrajectoryStore& store, const QString& path, int maxFrames, int panelSide,
                       const std::function<QString(int)>& caption, const std::vector<QRgb>& colours, QString* error) {
  if (store.isEmpty()) {
    if (error) *error = QCoreApplication::translate("ddpm::ui::SamplingView", "there is nothing to export yet: sample first");
    return 0;
  }
  try {
    // The CLI's choice of frames (sampling/trajectory.h): all, or denser towards x_0.
    const std::vector<std::int64_t> steps = trajectory_frame_steps(store.count() - 1, std::max(2, maxFrames));
    const bool grey = store.layout().isImages() && store.layout().channels == 1;
    std::unique_ptr<GifWriter> gif;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const int k = static_cast<int>(steps[i]);
      const Image8 frame = toImage8(composeTrajectoryFrame(store, k, panelSide, caption ? caption(k) : QString(), colours), grey);
      if (!gif) gif = std::make_unique<GifWriter>(frame.width, frame.height, frame.channels, kGifFrameCentiseconds);
      gif->add_frame(frame, i + 1 == steps.size() ? kGifLastFrameCentiseconds : -1);  // hold the sample at the end
    }
    write_file_atomically(path.toStdString(), gif->finish());
    return static_cast<int>(steps.size());
  } catch (const std::exception& e) {  // ddpm::Error: a bad path, a full disk, …
    if (error) *error = QString::fromStdString(e.what());
    return 0;
  }
}

}  // namespace ddpm::ui
