#pragma once

#include "core/diffusion/gaussian_diffusion.h"

#include <torch/torch.h>

namespace ddpm {

/// One term of the variational bound (Ho et al. 2020, eq. 5) for each value, in nats
/// (float64, x0's shape), given p_θ(x_{t−1} | x_t) = N(p_mean, e^{p_log_variance}) at code
/// indices t [B]: where t ≥ 1 the KL of eq. 8, KL(q(x_{t−1} | x_t, x_0) ‖ p_θ); where t = 0
/// the decoder's −log p_θ(x_0 | x_1), discretised over 256 levels (eq. 13, images) or the
/// Gaussian density (points). The bound's evaluation and the bound as a training loss
/// both take their terms from here.
torch::Tensor bound_term_nats(const GaussianDiffusion& diffusion, const torch::Tensor& x0, const torch::Tensor& x_t,
                              const torch::Tensor& t, const torch::Tensor& p_mean, const torch::Tensor& p_log_variance,
                              bool discretised);

}  // namespace ddpm
