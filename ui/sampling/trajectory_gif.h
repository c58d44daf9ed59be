#pragma once

#include <QRgb>
#include <QString>

#include <functional>
#include <vector>

namespace ddpm::ui {

class TrajectoryStore;

/// Each GIF frame shows this long; the last (the sample x₀) is held longer.
constexpr int kGifFrameCentiseconds = 4;
constexpr int kGifLastFrameCentiseconds = 200;

/// Writes a recorded trajectory as a looping animated GIF (core's GifWriter; grey images
/// stay exactly grey), atomically: every frame when there are at most `maxFrames`, else
/// `maxFrames` chosen like the CLI's --trajectory (trajectory_frame_steps: first, last,
/// denser towards x₀). Each frame is composeTrajectoryFrame with `caption(k)` above it.
/// Returns the number of frames written, or 0 with a reason in `error`.
int writeTrajectoryGif(const TrajectoryStore& store, const QString& path, int maxFrames, int panelSide,
                       const std::function<QString(int)>& caption, const std::vector<QRgb>& colours, QString* error);

}  // namespace ddpm::ui
