#pragma once

#include <QImage>
#include <QSize>

#include <cstdint>

namespace ddpm {
class Trainer;
}

namespace ddpm::ui {

/// How a training preview is drawn: a few samples from a short deterministic DDIM run.
struct PreviewSettings {
  int images = 16;           ///< samples drawn for image data (a 4 × 4 grid)
  int points = 512;          ///< samples drawn for 2D data
  int ddimSteps = 20;        ///< DDIM steps K (η = 0) for 2D points: cheap, and enough to judge progress
  int imageDdimSteps = 10;   ///< the same for images, where each step costs about a sixth of a training step
  QSize canvas{360, 360};    ///< pixels of a 2D scatter picture
  std::uint64_t seed = 7;    ///< the same x_T every time, so successive previews compare
};

/// Samples from the trainer's EMA model (the weights a checkpoint keeps) and draws them:
/// an image grid, or the points (blue) over the training data (orange) in the normalised
/// plane. Runs torch work, so call it on the thread that runs the trainer, between steps.
/// Non-finite samples are left out of a scatter picture. Throws ddpm::Error when sampling fails.
QImage renderTrainingPreview(const Trainer& trainer, const PreviewSettings& settings);

}  // namespace ddpm::ui
