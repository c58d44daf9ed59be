#pragma once

#include "core/schedule/noise_schedule.h"

#include <cstdint>

namespace ddpm {

/// The probability-flow ODE of the schedule, written with the signal and noise scales of
/// x_t = α_t x_0 + σ_t ε, α_t = √ᾱ_t and σ_t = √(1 − ᾱ_t), at code index t; t = −1 is the
/// data itself (α = 1, σ = 0). Its deterministic solvers below all take one step from
/// index t to an index s < t (or to −1), given the network's prediction at x_t.
struct OdeScales {
  double alpha = 1.0;  ///< α_t = √ᾱ_t
  double sigma = 0.0;  ///< σ_t = √(1 − ᾱ_t)
  /// Karras et al. 2022's noise level σ_t/α_t of the rescaled sample x̃ = x/α = x_0 + (σ/α) ε.
  double karras_sigma() const { return sigma / alpha; }
  /// λ_t = log(α_t/σ_t), half the log signal-to-noise ratio (Lu et al. 2022); +∞ at the data.
  double lambda() const;
};

/// α_t and σ_t at code index t, or the data's (1, 0) at t = −1.
OdeScales ode_scales(const NoiseSchedule& schedule, std::int64_t t);

/// One Euler step of the probability-flow ODE in Karras et al.'s variables, dx̃/dσ̃ = ε̂
/// (their eq. 4 with s(t) = 1 on x̃ = x/α, σ̃ = σ/α):
///   x̃_s = x̃_t + (σ̃_s − σ̃_t) ε̂, so x_s = (α_s/α_t) x_t + α_s (σ̃_s − σ̃_t) ε̂.
/// Written out, x_s = α_s x̂_0 + σ_s ε̂: DDIM with η = 0 (Song et al. 2021, eq. 12) is this
/// Euler step, which the tests check.
struct EulerCoefficients {
  double x = 0.0;    ///< α_s/α_t, the weight of x_t
  double eps = 0.0;  ///< α_s (σ̃_s − σ̃_t), the weight of the slope ε̂
};
EulerCoefficients euler_coefficients(const NoiseSchedule& schedule, std::int64_t t, std::int64_t s);

/// One step of DPM-Solver++ (Lu et al. 2022, data prediction x̂_0, with h = λ_s − λ_t):
///   x_s = (σ_s/σ_t) x_t − α_s (e^{−h} − 1) D,
/// where D = x̂_0(x_t) for the first-order step (which is again DDIM with η = 0) and, for
/// the multistep second-order step 2M (their Algorithm 2), with the previous step's x̂_0
/// taken at index u > t and r = (λ_t − λ_u)/h,
///   D = (1 + 1/(2r)) x̂_0(x_t) − (1/(2r)) x̂_0(x_u).
/// α_s (1 − e^{−h}) is computed as α_s − σ_s α_t/σ_t, which stays finite at s = −1 (the data,
/// h = ∞).
struct DpmSolverCoefficients {
  double x = 0.0;         ///< σ_s/σ_t, the weight of x_t
  double x0 = 0.0;        ///< α_s (1 − e^{−h}), the weight of D
  double current = 1.0;  ///< weight of x̂_0(x_t) in D: 1 + 1/(2r), or 1 for the first-order step
  double previous = 0.0; ///< weight of x̂_0(x_u) in D: −1/(2r), or 0 for the first-order step
};
/// The first-order step from t to s.
DpmSolverCoefficients dpm_solver_first_order(const NoiseSchedule& schedule, std::int64_t t, std::int64_t s);
/// The second-order multistep update from t to s, the previous prediction made at u > t.
/// Falls back to the first-order step where r is not a positive finite number: at s = −1
/// (h = ∞, the usual lower-order final step) or where ᾱ underflows to 0.
DpmSolverCoefficients dpm_solver_2m(const NoiseSchedule& schedule, std::int64_t u, std::int64_t t, std::int64_t s);

}  // namespace ddpm
