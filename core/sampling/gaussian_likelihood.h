#pragma once

#include <torch/torch.h>

namespace ddpm {

// Elementwise Gaussian log-likelihoods and divergences for the variational bound
// (Ho et al. 2020, eq. 5 and 13). All take log-variances, broadcast their arguments,
// compute in float64 whatever the input dtype, and return float64 tensors in nats.

/// KL(N(mean1, e^{log_variance1}) ‖ N(mean2, e^{log_variance2})) in closed form:
/// ½ (−1 + log σ₂² − log σ₁² + σ₁²/σ₂² + (μ₁ − μ₂)²/σ₂²).
torch::Tensor normal_kl(const torch::Tensor& mean1, const torch::Tensor& log_variance1, const torch::Tensor& mean2,
                        const torch::Tensor& log_variance2);

/// log N(x; mean, e^{log_variance}), the continuous density (a differential quantity).
torch::Tensor gaussian_log_likelihood(const torch::Tensor& x, const torch::Tensor& mean,
                                      const torch::Tensor& log_variance);

/// Φ(x), the standard normal CDF, exactly: ½ erfc(−x/√2) (no tanh approximation).
torch::Tensor standard_normal_cdf(const torch::Tensor& x);

/// log P(x) under the discretised Gaussian decoder of eq. 13 for data in [−1, 1] with 256
/// levels: the mass of N(mean, e^{log_variance}) on the bin [x − 1/255, x + 1/255], with the
/// outer edges of the bins at −1 and +1 moved to ∓∞ (x < −0.999 and x > 0.999, as in the
/// paper's code), so the 256 probabilities sum to 1. The CDF is the exact erfc one in
/// double; differences are taken in the tail they lie in to avoid cancellation; each
/// probability is floored at 1e-12 (as in the paper's code) so the log stays finite.
torch::Tensor discretized_gaussian_log_likelihood(const torch::Tensor& x, const torch::Tensor& mean,
                                                  const torch::Tensor& log_variance);

}  // namespace ddpm
