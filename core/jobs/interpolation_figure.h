#pragma once

#include "core/jobs/checkpoint_model.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace ddpm {

/// What Figs. 8 and 9 of Ho et al. (2020) draw: two real images x_0 and x'_0, each noised
/// to the same t with q (eq. 4): x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, x'_t the same with ε';
/// their mix x̄_t = (1 − λ) x_t + λ x'_t for λ evenly spaced from 0 to 1; and the reverse
/// process from x̄_t back to x_0. λ = 0 and λ = 1 are the reconstructions of the two images.
///
/// The noise: ε and ε' are drawn once from a CPU generator seeded with sampler.seed and
/// used for every t, so rows differ only by t; the reverse process of one row draws its
/// noise once for all λ (SamplerOptions::shared_noise, seeded with seed + 1 + the row's
/// index), so the columns of a row differ only by λ.
struct InterpolationOptions {
  SamplerOptions sampler;             ///< the reverse process, its seed and device; n and shared_noise are set here
  std::vector<std::int64_t> levels = {500};  ///< paper t of each row, each 0..T; t = 0 mixes the images themselves
  std::int64_t lambdas = 11;          ///< λ = 0, 1/(lambdas − 1), …, 1; at least 2
};

/// The figure: one row per level in the order given, columns x_0 | λ = 0 … 1 | x'_0.
struct InterpolationFigure {
  RunStatus status = RunStatus::Completed;  ///< Cancelled: images undefined
  torch::Tensor images;  ///< [levels · (lambdas + 2), sample_shape…] on the CPU, normalised space
};

/// Runs the figure for x0 and x0_prime, each [1, sample_shape…] in the model's normalised
/// space, calling `on_step` after each reverse step and stopping (Cancelled) when `cancel`
/// is set. Throws ddpm::Error for a level outside 0..T, no levels, fewer than 2 λ, or
/// images of another shape than the model's.
InterpolationFigure interpolation_figure(const CheckpointModel& model, const torch::Tensor& x0,
                                         const torch::Tensor& x0_prime, const InterpolationOptions& options,
                                         const StepCallback& on_step = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ddpm
