#pragma once

#include "core/schedule/noise_schedule.h"

#include <cstdint>

namespace ddpm {

/// Whether K is a number of DDIM steps a schedule of T steps allows: 1 ≤ K ≤ T (K = 1 jumps
/// from x_T straight to x_0, K = T visits every index). The rule behind every step-count
/// check, in core (sampling_timesteps) and in the ui.
bool ddim_steps_in_range(std::int64_t K, std::int64_t T);

/// The numbers of one DDIM step (Song et al. 2021, eq. 12) from code index t to s:
/// x_s = √ᾱ_s · x̂_0 + √(1 − ᾱ_s − σ²) · ε̂ + σ z.
struct DdimCoefficients {
  double sqrt_alpha_bar_prev = 0.0;  ///< √ᾱ_s, the weight of x̂_0 (1 when s is x_0)
  double direction = 0.0;            ///< √(1 − ᾱ_s − σ²), the weight of ε̂ ("direction pointing to x_t")
  double sigma = 0.0;                ///< σ = η √((1 − ᾱ_s)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_s) (eq. 16), the std of the new noise
};

/// DDIM's coefficients (eq. 12, σ from eq. 16 scaled by η) from code index t to s < t, or
/// to x_0 when s = −1 (ᾱ = 1, so σ = 0 and the direction term vanishes). η = 0 is
/// deterministic; η = 1 with s = t − 1 gives DDPM's σ_t² = β̃_t. 1 − ᾱ_s − σ² is clamped at
/// 0, which only absorbs rounding for η ≤ 1.
DdimCoefficients ddim_coefficients(const NoiseSchedule& schedule, std::int64_t t, std::int64_t s, double eta);

}  // namespace ddpm
