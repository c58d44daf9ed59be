#include "core/diffusion/q_sample_variance.h"

namespace ddpm {

double q_sample_variance(const NoiseSchedule& schedule, std::int64_t t, double x0_variance) {
  const auto i = static_cast<std::size_t>(t);
  return schedule.alpha_bar[i] * x0_variance + schedule.one_minus_alpha_bar[i];
}

}  // namespace ddpm
