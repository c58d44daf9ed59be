#pragma once

#include "core/schedule/noise_schedule.h"

#include <torch/torch.h>

namespace ddpm {

/// Mean and variance of a diagonal Gaussian, shaped like the data.
struct GaussianStats {
  torch::Tensor mean;
  torch::Tensor variance;
  torch::Tensor log_variance;
};

/// The fixed forward process q of a DDPM and the closed forms derived from it
/// (Ho et al. 2020, eq. 4, 6–7). Holds the schedule's columns as float32 tensors on
/// one device; `t` arguments are int64 code indices (paper t − 1), one per batch row,
/// broadcast over the remaining dimensions.
class GaussianDiffusion {
 public:
  explicit GaussianDiffusion(NoiseSchedule schedule, torch::Device device = torch::kCPU);

  const NoiseSchedule& schedule() const { return schedule_; }
  std::int64_t steps() const { return schedule_.steps(); }
  torch::Device device() const { return device_; }

  /// x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, a draw from q(x_t | x_0) (eq. 4).
  torch::Tensor q_sample(const torch::Tensor& x0, const torch::Tensor& t, const torch::Tensor& noise) const;
  /// Same with one t for the whole batch.
  torch::Tensor q_sample(const torch::Tensor& x0, std::int64_t t, const torch::Tensor& noise) const;

  /// q(x_{t−1} | x_t, x_0) = N(μ̃_t, β̃_t I) (eq. 6–7); log variance clipped at t = 0.
  GaussianStats q_posterior(const torch::Tensor& x0, const torch::Tensor& xt, const torch::Tensor& t) const;

  /// x̂_0 = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t, eq. 4 solved for x_0.
  torch::Tensor predict_x0_from_eps(const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& eps) const;
  /// The same x̂_0, clamped to [−1, 1] when clip_x0 (images, as in the paper's code).
  torch::Tensor predict_x0_from_eps(const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& eps,
                                    bool clip_x0) const;
  /// ε = (x_t − √ᾱ_t x_0) / √(1 − ᾱ_t), eq. 4 solved for ε.
  torch::Tensor predict_eps_from_x0(const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& x0) const;

  /// μ_θ(x_t, t) = 1/√α_t (x_t − β_t/√(1 − ᾱ_t) ε_θ), the reverse-process mean from a noise
  /// prediction (eq. 11); equals q_posterior(predict_x0_from_eps(x_t, t, ε_θ), x_t, t).mean.
  torch::Tensor p_mean_from_eps(const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& eps) const;
  /// The mean of p_θ(x_{t−1} | x_t) as the sampler and the bound take it: eq. 11
  /// (p_mean_from_eps) or, with clip_x0, the posterior mean μ̃_t(x̂_0, x_t) (eq. 7) on x̂_0
  /// clamped to [−1, 1], which is the same mean when nothing is clipped. `x0_hat` may pass
  /// predict_x0_from_eps(x_t, t, ε_θ, clip_x0) when the caller has it already.
  torch::Tensor p_mean(const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& eps, bool clip_x0,
                       const torch::Tensor& x0_hat = {}) const;

  /// coefficient[t] as a tensor shaped [B, 1, 1, …] to broadcast against `like`.
  torch::Tensor extract(const torch::Tensor& coefficient, const torch::Tensor& t, const torch::Tensor& like) const;
  /// A schedule column on this object's device as float32.
  torch::Tensor column(const std::vector<double>& values) const;

  // Schedule columns as device tensors (float32), for the formulas above and for the
  // sampler and losses built on them.
  torch::Tensor beta, alpha, alpha_bar, alpha_bar_prev, sqrt_alpha_bar, sqrt_one_minus_alpha_bar,
      sqrt_recip_alpha_bar, sqrt_recip_alpha_bar_minus_one, posterior_variance,
      posterior_log_variance_clipped, posterior_mean_coef1, posterior_mean_coef2;

 private:
  NoiseSchedule schedule_;
  torch::Device device_;
};

/// A batch of B copies of one code index t, as int64 on `device`.
torch::Tensor timesteps(std::int64_t t, std::int64_t batch, torch::Device device = torch::kCPU);

}  // namespace ddpm
