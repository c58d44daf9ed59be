#include "core/sampling/bound_term.h"

#include "core/sampling/gaussian_likelihood.h"

namespace ddpm {

torch::Tensor bound_term_nats(const GaussianDiffusion& diffusion, const torch::Tensor& x0, const torch::Tensor& x_t,
                              const torch::Tensor& t, const torch::Tensor& p_mean, const torch::Tensor& p_log_variance,
                              bool discretised) {
  std::vector<std::int64_t> column(static_cast<std::size_t>(x0.dim()), 1);
  column[0] = x0.size(0);
  // Both terms for every row, then each row takes its own: elementwise work only, and no
  // read-back of t to the host (a training step on a GPU would wait for it).
  const auto decoder = discretised ? -discretized_gaussian_log_likelihood(x0, p_mean, p_log_variance)  // eq. 13
                                   : -gaussian_log_likelihood(x0, p_mean, p_log_variance);
  const auto q_mean = diffusion.q_posterior(x0, x_t, t).mean;  // eq. 6–7
  // log β̃_t in float64: near t = T it is within 1e-6 of log β_t and the KL is their difference.
  const auto q_log_variance = torch::tensor(diffusion.schedule().posterior_log_variance_clipped, torch::kFloat64)
                                  .to(x0.device())
                                  .index_select(0, t)
                                  .view(column);
  const auto kl = normal_kl(q_mean, q_log_variance, p_mean, p_log_variance);  // eq. 8
  return torch::where((t == 0).view(column), decoder, kl);
}

}  // namespace ddpm
