#pragma once

#include <torch/torch.h>

#include <vector>

namespace ddpm {

/// Where the data lie, per channel (images) or coordinate (points), in the normalised
/// space the diffusion acts in: the box the sampler clips its x̂0 to, as the paper clips
/// images to [−1, 1]. Images: [−1, 1]. Points: the training points' range widened by
/// kPointRangeMargin of its width on each side, recorded in the checkpoint, so that a
/// network that extrapolates wildly far from the data (x̂0 ≈ 100 for a tail draw of x_T)
/// cannot carry a deterministic DDIM path there.
struct DataRange {
  std::vector<double> low;   ///< one value, or one per channel / coordinate
  std::vector<double> high;

  /// No range known (a checkpoint from before ranges were recorded).
  bool empty() const { return low.empty(); }
  /// [−1, 1]: images scaled from 0..255.
  static DataRange unit_interval();
  /// The per-column range of normalised points [N, D], widened by `margin` × width on each side.
  static DataRange of_points(const torch::Tensor& points, double margin);
  /// `x` clamped into the range, broadcast over dimension 1 (channels / coordinates).
  torch::Tensor clamp(const torch::Tensor& x) const;

  bool operator==(const DataRange& other) const { return low == other.low && high == other.high; }
};

/// How far beyond the training points' range (as a share of its width) x̂0 may go.
constexpr double kPointRangeMargin = 0.1;

}  // namespace ddpm
