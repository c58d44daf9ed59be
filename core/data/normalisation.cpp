#include "core/data/normalisation.h"

#include "core/util/error.h"

#include <cmath>

namespace ddpm {

Normalisation Normalisation::identity(std::size_t channels) {
  return {std::vector<double>(channels, 0.0), std::vector<double>(channels, 1.0)};
}

Normalisation Normalisation::pixels_to_unit_range() {
  return {{127.5}, {127.5}};
}

Normalisation Normalisation::standardise(const torch::Tensor& points) {
  auto values = points.to(torch::kFloat64);
  auto mean = values.mean(0);
  // A constant coordinate would divide by zero; leave its scale at 1.
  auto std = values.std(0, /*unbiased=*/false);
  std = torch::where(std > 1e-12, std, torch::ones_like(std));
  Normalisation n;
  for (std::int64_t i = 0; i < mean.size(0); ++i) {
    n.offset.push_back(mean[i].item<double>());
    n.scale.push_back(std[i].item<double>());
    // A checkpoint must be readable back: it refuses a non-finite normalisation.
    if (!std::isfinite(n.offset.back()) || !std::isfinite(n.scale.back()))
      throw Error("the data's mean or standard deviation in coordinate " + std::to_string(i) +
                  " is not a finite number (values too large or not numbers); they cannot be standardised");
  }
  return n;
}

torch::Tensor broadcast_per_channel(const std::vector<double>& values, const torch::Tensor& like, const std::string& what) {
  auto tensor = torch::tensor(values, torch::TensorOptions().dtype(torch::kFloat64)).to(like.device(), like.scalar_type());
  if (values.size() == 1) return tensor[0];  // a 0-d tensor broadcasts over everything
  if (like.dim() < 2 || like.size(1) != static_cast<std::int64_t>(values.size()))
    throw Error(what + " has " + std::to_string(values.size()) + " channels, data has " +
                (like.dim() < 2 ? std::string("none") : std::to_string(like.size(1))));
  std::vector<std::int64_t> shape(static_cast<std::size_t>(like.dim()), 1);
  shape[1] = static_cast<std::int64_t>(values.size());
  return tensor.view(shape);
}

torch::Tensor Normalisation::broadcast(const std::vector<double>& values, const torch::Tensor& like) const {
  if (values.empty() || offset.size() != scale.size()) throw Error("normalisation is not set up");
  return broadcast_per_channel(values, like, "normalisation");
}

torch::Tensor Normalisation::normalise(const torch::Tensor& raw) const {
  return (raw - broadcast(offset, raw)) / broadcast(scale, raw);
}

torch::Tensor Normalisation::denormalise(const torch::Tensor& normalised) const {
  return normalised * broadcast(scale, normalised) + broadcast(offset, normalised);
}

}  // namespace ddpm
