#include "core/sampling/reverse_variance.h"

#include "core/util/error.h"

#include <cmath>

namespace ddpm {

std::string to_string(ReverseVariance variance) {
  return variance == ReverseVariance::Beta ? "beta" : "posterior";
}

ReverseVariance reverse_variance_from_string(const std::string& name) {
  if (name == "beta") return ReverseVariance::Beta;
  if (name == "posterior") return ReverseVariance::Posterior;
  throw Error("unknown reverse-process variance '" + name + "': use beta (σ² = β_t) or posterior (σ² = β̃_t)");
}

std::vector<double> reverse_variance(const NoiseSchedule& schedule, ReverseVariance variance) {
  if (variance == ReverseVariance::Beta) return schedule.beta;
  // posterior_log_variance_clipped already holds log β̃_t with the t = 0 entry clipped.
  std::vector<double> values(schedule.posterior_log_variance_clipped.size());
  for (std::size_t t = 0; t < values.size(); ++t)
    values[t] = t > 0 ? schedule.posterior_variance[t] : std::exp(schedule.posterior_log_variance_clipped[0]);
  return values;
}

}  // namespace ddpm
