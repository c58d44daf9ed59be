#include "core/sampling/gaussian_likelihood.h"

#include <cmath>

namespace ddpm {
namespace {

torch::Tensor as_double(const torch::Tensor& x) {
  return x.to(torch::kFloat64);
}

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kBinHalfWidth = 1.0 / 255.0;  // 256 levels on [−1, 1]
constexpr double kMinProbability = 1e-12;

}  // namespace

torch::Tensor normal_kl(const torch::Tensor& mean1, const torch::Tensor& log_variance1, const torch::Tensor& mean2,
                        const torch::Tensor& log_variance2) {
  const auto lv1 = as_double(log_variance1), lv2 = as_double(log_variance2);
  const auto difference = as_double(mean1) - as_double(mean2);
  return 0.5 * (-1.0 + lv2 - lv1 + torch::exp(lv1 - lv2) + difference * difference * torch::exp(-lv2));
}

torch::Tensor gaussian_log_likelihood(const torch::Tensor& x, const torch::Tensor& mean,
                                      const torch::Tensor& log_variance) {
  const auto lv = as_double(log_variance);
  const auto centered = as_double(x) - as_double(mean);
  return -0.5 * (std::log(2.0 * M_PI) + lv + centered * centered * torch::exp(-lv));
}

torch::Tensor standard_normal_cdf(const torch::Tensor& x) {
  return 0.5 * torch::erfc(as_double(x) * -kInvSqrt2);
}

torch::Tensor discretized_gaussian_log_likelihood(const torch::Tensor& x, const torch::Tensor& mean,
                                                  const torch::Tensor& log_variance) {
  const auto xd = as_double(x);
  const auto inv_stdv = torch::exp(-0.5 * as_double(log_variance));
  const auto centered = xd - as_double(mean);
  const auto upper = inv_stdv * (centered + kBinHalfWidth);  // standardised bin edges
  const auto lower = inv_stdv * (centered - kBinHalfWidth);
  // Φ(u) = ½ erfc(−u/√2) and 1 − Φ(l) = ½ erfc(l/√2) keep full relative precision in the tails.
  const auto cdf_upper = 0.5 * torch::erfc(upper * -kInvSqrt2);
  const auto one_minus_cdf_lower = 0.5 * torch::erfc(lower * kInvSqrt2);
  // Φ(u) − Φ(l): above the mean as a difference of upper tails, below it of lower tails.
  const auto cdf_delta = torch::where(lower > 0.0, one_minus_cdf_lower - 0.5 * torch::erfc(upper * kInvSqrt2),
                                      cdf_upper - 0.5 * torch::erfc(lower * -kInvSqrt2));
  const auto log_cdf_upper = torch::log(cdf_upper.clamp_min(kMinProbability));
  const auto log_one_minus_cdf_lower = torch::log(one_minus_cdf_lower.clamp_min(kMinProbability));
  const auto log_cdf_delta = torch::log(cdf_delta.clamp_min(kMinProbability));
  return torch::where(xd < -0.999, log_cdf_upper, torch::where(xd > 0.999, log_one_minus_cdf_lower, log_cdf_delta));
}

}  // namespace ddpm
