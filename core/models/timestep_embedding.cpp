#include "core/models/timestep_embedding.h"

#include "core/util/error.h"

#include <cmath>
#include <string>

namespace ddpm {

torch::Tensor timestep_embedding(const torch::Tensor& t, std::int64_t dim) {
  if (dim < 4) throw Error("timestep embedding needs at least 4 dimensions (got " + std::to_string(dim) + ")");
  if (t.dim() != 1) throw Error("timestep embedding expects a 1-D tensor of timesteps");
  const std::int64_t half = dim / 2;
  const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(t.device());
  const double step = std::log(10000.0) / static_cast<double>(half - 1);
  const auto frequencies = torch::exp(torch::arange(half, options) * -step);
  const auto angles = t.to(torch::kFloat32).unsqueeze(1) * frequencies.unsqueeze(0);
  auto embedding = torch::cat({torch::sin(angles), torch::cos(angles)}, 1);
  if (dim % 2 == 1) embedding = torch::constant_pad_nd(embedding, {0, 1}, 0);
  return embedding;
}

}  // namespace ddpm
