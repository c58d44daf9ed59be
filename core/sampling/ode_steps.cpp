#include "core/sampling/ode_steps.h"

#include <cmath>
#include <limits>

namespace ddpm {

double OdeScales::lambda() const {
  if (sigma == 0.0) return std::numeric_limits<double>::infinity();
  return std::log(alpha) - std::log(sigma);
}

OdeScales ode_scales(const NoiseSchedule& schedule, std::int64_t t) {
  if (t < 0) return {};
  const auto i = static_cast<std::size_t>(t);
  return {schedule.sqrt_alpha_bar[i], schedule.sqrt_one_minus_alpha_bar[i]};
}

EulerCoefficients euler_coefficients(const NoiseSchedule& schedule, std::int64_t t, std::int64_t s) {
  const OdeScales from = ode_scales(schedule, t), to = ode_scales(schedule, s);
  return {to.alpha / from.alpha, to.alpha * (to.karras_sigma() - from.karras_sigma())};
}

DpmSolverCoefficients dpm_solver_first_order(const NoiseSchedule& schedule, std::int64_t t, std::int64_t s) {
  const OdeScales from = ode_scales(schedule, t), to = ode_scales(schedule, s);
  const double ratio = to.sigma / from.sigma;  // σ_s/σ_t = e^{−h} α_s/α_t
  return {ratio, to.alpha - ratio * from.alpha, 1.0, 0.0};
}

DpmSolverCoefficients dpm_solver_2m(const NoiseSchedule& schedule, std::int64_t u, std::int64_t t, std::int64_t s) {
  DpmSolverCoefficients c = dpm_solver_first_order(schedule, t, s);
  const double lambda_u = ode_scales(schedule, u).lambda(), lambda_t = ode_scales(schedule, t).lambda(),
               lambda_s = ode_scales(schedule, s).lambda();
  const double r = (lambda_t - lambda_u) / (lambda_s - lambda_t);
  if (!(std::isfinite(r) && r > 0.0)) return c;
  c.current = 1.0 + 0.5 / r;
  c.previous = -0.5 / r;
  return c;
}

}  // namespace ddpm
