#include "core/diffusion/gaussian_diffusion.h"

#include "core/util/error.h"

#include <cmath>

namespace ddpm {

GaussianDiffusion::GaussianDiffusion(NoiseSchedule schedule, torch::Device device)
    : schedule_(std::move(schedule)), device_(device) {
  const auto& s = schedule_;
  beta = column(s.beta);
  alpha = column(s.alpha);
  alpha_bar = column(s.alpha_bar);
  alpha_bar_prev = column(s.alpha_bar_prev);
  sqrt_alpha_bar = column(s.sqrt_alpha_bar);
  sqrt_one_minus_alpha_bar = column(s.sqrt_one_minus_alpha_bar);
  std::vector<double> recip(s.alpha_bar.size()), recip_minus_one(s.alpha_bar.size());
  for (std::size_t t = 0; t < recip.size(); ++t) {
    recip[t] = 1.0 / s.sqrt_alpha_bar[t];
    recip_minus_one[t] = std::sqrt(s.one_minus_alpha_bar[t] / s.alpha_bar[t]);
  }
  sqrt_recip_alpha_bar = column(recip);
  sqrt_recip_alpha_bar_minus_one = column(recip_minus_one);
  posterior_variance = column(s.posterior_variance);
  posterior_log_variance_clipped = column(s.posterior_log_variance_clipped);
  posterior_mean_coef1 = column(s.posterior_mean_coef1);
  posterior_mean_coef2 = column(s.posterior_mean_coef2);
}

torch::Tensor GaussianDiffusion::column(const std::vector<double>& values) const {
  auto host = torch::tensor(values, torch::TensorOptions().dtype(torch::kFloat64));
  return host.to(device_, torch::kFloat32);
}

torch::Tensor GaussianDiffusion::extract(const torch::Tensor& coefficient, const torch::Tensor& t,
                                         const torch::Tensor& like) const {
  if (t.dim() != 1 || t.size(0) != like.size(0))
    throw Error("timestep tensor must hold one t per batch row (" + std::to_string(like.size(0)) + ")");
  std::vector<std::int64_t> shape(static_cast<std::size_t>(like.dim()), 1);
  shape[0] = like.size(0);
  return coefficient.index_select(0, t.to(coefficient.device(), torch::kLong)).view(shape).to(like.device());
}

torch::Tensor GaussianDiffusion::q_sample(const torch::Tensor& x0, const torch::Tensor& t,
                                          const torch::Tensor& noise) const {
  return extract(sqrt_alpha_bar, t, x0) * x0 + extract(sqrt_one_minus_alpha_bar, t, x0) * noise;  // eq. 4
}

torch::Tensor GaussianDiffusion::q_sample(const torch::Tensor& x0, std::int64_t t, const torch::Tensor& noise) const {
  if (t < 0 || t >= steps())
    throw Error("timestep t = " + std::to_string(t) + " is outside 0.." + std::to_string(steps() - 1));
  return q_sample(x0, timesteps(t, x0.size(0), x0.device()), noise);
}

GaussianStats GaussianDiffusion::q_posterior(const torch::Tensor& x0, const torch::Tensor& xt,
                                             const torch::Tensor& t) const {
  GaussianStats stats;
  stats.mean = extract(posterior_mean_coef1, t, xt) * x0 + extract(posterior_mean_coef2, t, xt) * xt;  // eq. 7
  stats.variance = extract(posterior_variance, t, xt).expand_as(xt);
  stats.log_variance = extract(posterior_log_variance_clipped, t, xt).expand_as(xt);
  return stats;
}

torch::Tensor GaussianDiffusion::predict_x0_from_eps(const torch::Tensor& xt, const torch::Tensor& t,
                                                     const torch::Tensor& eps) const {
  return extract(sqrt_recip_alpha_bar, t, xt) * xt - extract(sqrt_recip_alpha_bar_minus_one, t, xt) * eps;
}

torch::Tensor GaussianDiffusion::predict_x0_from_eps(const torch::Tensor& xt, const torch::Tensor& t,
                                                     const torch::Tensor& eps, bool clip_x0) const {
  auto x0 = predict_x0_from_eps(xt, t, eps);
  if (clip_x0) x0.clamp_(-1.0, 1.0);
  return x0;
}

torch::Tensor GaussianDiffusion::predict_eps_from_x0(const torch::Tensor& xt, const torch::Tensor& t,
                                                     const torch::Tensor& x0) const {
  return (xt - extract(sqrt_alpha_bar, t, xt) * x0) / extract(sqrt_one_minus_alpha_bar, t, xt);
}

torch::Tensor GaussianDiffusion::p_mean_from_eps(const torch::Tensor& xt, const torch::Tensor& t,
                                                 const torch::Tensor& eps) const {
  return extract(alpha, t, xt).rsqrt() *
         (xt - extract(beta, t, xt) / extract(sqrt_one_minus_alpha_bar, t, xt) * eps);  // eq. 11
}

torch::Tensor GaussianDiffusion::p_mean(const torch::Tensor& xt, const torch::Tensor& t, const torch::Tensor& eps,
                                        bool clip_x0, const torch::Tensor& x0_hat) const {
  if (!clip_x0) return p_mean_from_eps(xt, t, eps);  // eq. 11
  return q_posterior(x0_hat.defined() ? x0_hat : predict_x0_from_eps(xt, t, eps, true), xt, t).mean;  // eq. 7
}

torch::Tensor timesteps(std::int64_t t, std::int64_t batch, torch::Device device) {
  return torch::full({batch}, t, torch::TensorOptions().dtype(torch::kLong).device(device));
}

}  // namespace ddpm
