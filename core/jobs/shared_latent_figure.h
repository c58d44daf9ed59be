#pragma once

#include "core/jobs/checkpoint_model.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace ddpm {

/// What Fig. 7 of Ho et al. (2020) draws: one chain from one prior draw x_T, stopped at
/// each of `levels` (paper t, e.g. 1000, 750, 500, 250), and from each stop x_t
/// `continuations` independent runs to x_0 ~ p_θ(x_0 | x_t) (ReverseProcess::continue_from,
/// the Sampling view's branching). Late stops share more of the image.
struct SharedLatentOptions {
  SamplerOptions sampler;             ///< the chain's sampler, its seed (x_T and the chain's noise), device; n is ignored
  std::vector<std::int64_t> levels = {1000, 750, 500, 250};  ///< paper t, each 1..T
  std::int64_t continuations = 3;     ///< runs from each stop
};

/// The figure, one row per level in the order given: x_t (the chain where it stopped:
/// at the first step at or below the level with a sampler that skips timesteps) and then
/// the continuations' x_0. Continuation row i draws its noise from seed + 1 + i.
struct SharedLatentFigure {
  RunStatus status = RunStatus::Completed;  ///< Cancelled: images undefined
  torch::Tensor images;                     ///< [levels · (1 + continuations), sample_shape…], normalised space
  std::vector<std::int64_t> stopped_at;     ///< the paper t each row's x_t is at
};

/// Runs the chain and the continuations, calling `on_step` after each step of any of
/// them and stopping (Cancelled) when `cancel` is set. Throws ddpm::Error for a level
/// outside 1..T, no levels, or fewer than 1 continuation.
SharedLatentFigure shared_latent_figure(const CheckpointModel& model, const SharedLatentOptions& options,
                                        const StepCallback& on_step = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ddpm
