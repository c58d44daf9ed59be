#pragma once

#include <QMetaType>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ddpm::ui {

/// What a recorded sampling run holds, fixed when it starts: N images C × H × W or N 2D
/// points, the number of reverse steps K and the code indices t they visit (T−1 … 0).
struct TrajectoryLayout {
  enum class Kind { Empty, Images, Points };

  Kind kind = Kind::Empty;
  int count = 0;     ///< N samples
  int channels = 0;  ///< images: 1 or 3; points: 2
  int height = 1;    ///< images only
  int width = 1;     ///< images only
  int scheduleSteps = 0;        ///< T of the model's schedule
  std::vector<int> timesteps;   ///< the code indices the K steps take, in order (K = size)

  bool isImages() const { return kind == Kind::Images; }
  bool isPoints() const { return kind == Kind::Points; }
  int totalSteps() const { return static_cast<int>(timesteps.size()); }
  /// Values of one sample and of one whole state (x_t or x̂0 of all N samples).
  std::size_t valuesPerSample() const { return static_cast<std::size_t>(channels) * height * width; }
  std::size_t valuesPerState() const { return valuesPerSample() * static_cast<std::size_t>(count); }
};

/// One frame of a reverse run: the state after `step` steps (step 0 is x_T, step K is
/// x_0). Images are kept as bytes, quantised from [−1, 1] exactly as they are drawn
/// (quantiseUnit), points as floats; x̂0 is empty for step 0, before the model ran.
struct TrajectoryFrame {
  int step = 0;        ///< steps taken, 0..K
  int t = 0;           ///< code index of the step just taken (T for x_T)
  double sigma = 0;    ///< σ of the noise added at that step (0 for x_T and the last step)
  double xtStd = 0;    ///< standard deviation of all x_t values, before quantisation
  double guidanceGap = 0;  ///< with guidance: RMS of ε_θ(x_t, c) − ε_θ(x_t, ∅) at that step, how hard the class pulls
  double classifierGradient = 0;  ///< with classifier guidance: RMS of ∇ log p_φ(y | x_t) at that step
  std::vector<std::uint8_t> xtBytes;  ///< images: x_t, N × C × H × W
  std::vector<std::uint8_t> x0Bytes;  ///< images: x̂0 (empty at step 0)
  std::vector<float> xtPoints;        ///< points: x_t, N × 2
  std::vector<float> x0Points;        ///< points: x̂0 (empty at step 0)

  bool hasPrediction() const { return !x0Bytes.empty() || !x0Points.empty(); }
  std::size_t bytes() const {
    return xtBytes.size() + x0Bytes.size() + sizeof(float) * (xtPoints.size() + x0Points.size());
  }
};

/// A value in [−1, 1] as a grey level 0..255: (clamp(v) + 1) · 127.5, rounded, as images
/// are drawn and saved; values beyond ±1 saturate.
inline std::uint8_t quantiseUnit(float v) {
  return static_cast<std::uint8_t>(std::lround((std::clamp(v, -1.0f, 1.0f) + 1.0f) * 127.5f));
}
/// The value a grey level stands for (the inverse of quantiseUnit within 1/255).
inline float dequantiseUnit(std::uint8_t level) { return static_cast<float>(level) / 127.5f - 1.0f; }

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::TrajectoryLayout)
Q_DECLARE_METATYPE(ddpm::ui::TrajectoryFrame)
