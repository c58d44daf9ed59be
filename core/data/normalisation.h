#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace ddpm {

/// `values` (one, or one per channel / coordinate) shaped to broadcast over dimension 1
/// of `like` ([N, C, H, W] or [N, D]), in its dtype and device. Throws ddpm::Error
/// "WHAT has K channels, data has M" when the counts differ.
torch::Tensor broadcast_per_channel(const std::vector<double>& values, const torch::Tensor& like, const std::string& what);

/// The affine map between the data's own coordinates ("raw") and the space the
/// diffusion acts in: normalised = (raw − offset) / scale, per channel (images) or
/// per coordinate (2D points). Images: raw 0..255 → [−1, 1] (offset = scale = 127.5);
/// 2D: standardised with the training set's mean and standard deviation.
struct Normalisation {
  std::vector<double> offset;  ///< one value, or one per channel / coordinate
  std::vector<double> scale;

  /// Identity map for `channels` channels.
  static Normalisation identity(std::size_t channels = 1);
  /// Pixel values 0..255 to [−1, 1].
  static Normalisation pixels_to_unit_range();
  /// Per-column mean and standard deviation of points shaped [N, D].
  static Normalisation standardise(const torch::Tensor& points);

  torch::Tensor normalise(const torch::Tensor& raw) const;
  torch::Tensor denormalise(const torch::Tensor& normalised) const;

  bool operator==(const Normalisation& other) const { return offset == other.offset && scale == other.scale; }

 private:
  torch::Tensor broadcast(const std::vector<double>& values, const torch::Tensor& like) const;
};

}  // namespace ddpm
