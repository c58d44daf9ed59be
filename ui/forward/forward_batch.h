#pragma once

#include <QString>

#include <cstddef>
#include <vector>

namespace ddpm::ui {

/// A batch of x₀ as plain floats, in the normalised space where the diffusion acts
/// (images in [−1, 1], 2D points standardised). Plain values so it can cross from the
/// torch side (data loading) to widgets without a tensor in any header.
struct ForwardBatch {
  enum class Kind { Empty, Images, Points };

  Kind kind = Kind::Empty;
  int count = 0;     ///< N samples
  int channels = 0;  ///< images: 1 or 3; points: 2 (x, y)
  int height = 1;    ///< images only
  int width = 1;     ///< images only
  std::vector<float> values;  ///< N × C × H × W (images) or N × 2 (points), row-major
  std::vector<int> labels;    ///< class of each sample where the source has classes
  QString caption;            ///< e.g. "16 Fashion-MNIST test images"

  bool isEmpty() const { return kind == Kind::Empty || count == 0; }
  bool isImages() const { return kind == Kind::Images; }
  bool isPoints() const { return kind == Kind::Points; }
  std::size_t valuesPerSample() const { return static_cast<std::size_t>(channels) * height * width; }
};

}  // namespace ddpm::ui
