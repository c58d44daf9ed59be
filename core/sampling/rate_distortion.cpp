#include "core/sampling/rate_distortion.h"

#include "core/sampling/variational_bound.h"
#include "core/util/error.h"

#include <cmath>
#include <cstdio>

namespace ddpm {

std::vector<RateDistortionPoint> rate_distortion(const VariationalBound& bound) {
  if (bound.status != RunStatus::Completed) throw Error("the bound was stopped before it was complete");
  const auto T = static_cast<std::int64_t>(bound.terms_bits_per_dim.size());
  if (T < 1 || bound.x0_mse.size() != bound.terms_bits_per_dim.size())
    throw Error("the rate-distortion curve needs the bound's terms and their x0 errors");
  for (std::int64_t c = 0; c < T; ++c)
    if (std::isnan(bound.terms_bits_per_dim[static_cast<std::size_t>(c)]))
      throw Error("the rate-distortion curve needs every term of the bound; term " + std::to_string(c) +
                  " was not evaluated (a stratified bound)");

  constexpr double half_range = 127.5;  // [−1, 1] → [0, 255]
  std::vector<RateDistortionPoint> curve;
  double rate = bound.prior_bits_per_dim;  // k = 0: only x_T has been sent
  for (std::int64_t k = 0; k <= T; ++k) {
    const std::int64_t t = T - k;
    if (k > 0) rate += bound.terms_bits_per_dim[static_cast<std::size_t>(t)];  // L_t, sent with step k
    const double distortion = t == 0 ? 0.0 : half_range * std::sqrt(bound.x0_mse[static_cast<std::size_t>(t - 1)]);
    curve.push_back({k, t, rate, distortion});
  }
  return curve;
}

std::string rate_distortion_csv(const std::vector<RateDistortionPoint>& curve) {
  std::string csv = "steps,t,rate_bits_per_dim,distortion_rmse\n";
  char row[96];
  for (const auto& point : curve) {
    std::snprintf(row, sizeof row, "%lld,%lld,%.9g,%.9g\n", static_cast<long long>(point.steps),
                  static_cast<long long>(point.t), point.rate_bits_per_dim, point.distortion_rmse);
    csv += row;
  }
  return csv;
}

}  // namespace ddpm
