#include "core/sampling/ddim.h"

#include <algorithm>
#include <cmath>

namespace ddpm {

bool ddim_steps_in_range(std::int64_t K, std::int64_t T) {
  return K >= 1 && K <= T;
}

DdimCoefficients ddim_coefficients(const NoiseSchedule& schedule, std::int64_t t, std::int64_t s, double eta) {
  const double alpha_bar = schedule.alpha_bar[static_cast<std::size_t>(t)];
  const double one_minus_alpha_bar = schedule.one_minus_alpha_bar[static_cast<std::size_t>(t)];
  const double alpha_bar_prev = s >= 0 ? schedule.alpha_bar[static_cast<std::size_t>(s)] : 1.0;
  const double one_minus_alpha_bar_prev = s >= 0 ? schedule.one_minus_alpha_bar[static_cast<std::size_t>(s)] : 0.0;
  const double sigma =
      eta * std::sqrt(one_minus_alpha_bar_prev / one_minus_alpha_bar) * std::sqrt(1.0 - alpha_bar / alpha_bar_prev);
  // 1 − ᾱ_s − σ² ≥ 0 for η ≤ 1; the clamp only absorbs rounding.
  const double direction = std::sqrt(std::max(0.0, one_minus_alpha_bar_prev - sigma * sigma));
  return {std::sqrt(alpha_bar_prev), direction, sigma};
}

}  // namespace ddpm
