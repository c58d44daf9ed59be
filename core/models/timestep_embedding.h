#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Sinusoidal timestep embedding of the DDPM reference code (Ho et al. 2020,
/// appendix B; Vaswani et al. 2017): for i < half = dim / 2, frequency
/// f_i = exp(−log(10000) · i / (half − 1)), and the row for t is
/// [sin(t f_0) … sin(t f_{half−1}), cos(t f_0) … cos(t f_{half−1})], plus one zero
/// column when dim is odd. `t` is [B] (any numeric type); the result is float32
/// [B, dim] on t's device. Throws ddpm::Error when dim < 4 (half − 1 would be 0).
torch::Tensor timestep_embedding(const torch::Tensor& t, std::int64_t dim);

}  // namespace ddpm
