#pragma once

#include "core/schedule/noise_schedule.h"

#include <cstdint>

namespace ddpm {

/// Var[x_t] of one coordinate of x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (eq. 4) at code index t,
/// when x_0 has variance `x0_variance` and ε ~ N(0, I) is independent of it:
/// ᾱ_t Var[x_0] + (1 − ᾱ_t), which tends to 1 as ᾱ_t → 0.
double q_sample_variance(const NoiseSchedule& schedule, std::int64_t t, double x0_variance);

}  // namespace ddpm
