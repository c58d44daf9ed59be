#pragma once

#include "core/schedule/noise_schedule.h"

#include <string>
#include <vector>

namespace ddpm {

/// The fixed variance σ_t² of the reverse process p_θ(x_{t−1} | x_t) (Ho et al. 2020,
/// Sec. 3.2): β_t (optimal for x_0 ~ N(0, I)) or β̃_t (optimal for x_0 deterministic).
enum class ReverseVariance { Beta, Posterior };

/// "beta" or "posterior", as the CLI spells them.
std::string to_string(ReverseVariance variance);
/// Inverse of to_string; throws ddpm::Error naming the valid choices.
ReverseVariance reverse_variance_from_string(const std::string& name);

/// σ_t² for every code index t = 0..T−1: β_t or β̃_t. Sampling adds no noise at t = 0,
/// so there the value is the variance σ_1² of the decoder p_θ(x_0 | x_1) (eq. 12–13):
/// β_1 for Beta, as in the paper's text; for Posterior β̃_1 = 0, so the clipped value
/// β̃_2 is used, as in the paper's code (β_1 when T = 1). Every entry is > 0.
std::vector<double> reverse_variance(const NoiseSchedule& schedule, ReverseVariance variance);

}  // namespace ddpm
