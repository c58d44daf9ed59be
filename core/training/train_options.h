#pragma once

#include <cstdint>
#include <string>

namespace ddpm {

/// How a model is trained: the optimiser's numbers, the batch, the seed and where the
/// run saves itself. Paper values (Ho et al. 2020, Appendix B): Adam, lr 2e-4,
/// batch 128, gradient-norm clipping at 1, linear warm-up; EMA 0.9999 there, 0.999
/// here by default because teaching runs are thousands of steps, not 800k.
struct TrainOptions {
  double learning_rate = 2e-4;       ///< Adam's lr after warm-up
  std::int64_t batch_size = 128;
  std::uint64_t seed = 0;            ///< initial weights and every batch (data, t, ε) derive from it
  std::int64_t warmup_steps = 0;     ///< lr rises linearly from lr/warmup to lr over these steps (0: none)
  double grad_clip = 1.0;            ///< clip the gradients' global L2 norm to this (0: no clipping)
  double ema_decay = 0.999;          ///< EMA of the weights (0: the EMA copy equals the online weights)
  std::string device = "auto";       ///< "auto", "cpu" or "cuda"
  std::string precision = "fp32";    ///< "fp32" or, on CUDA, "bf16" autocast (runtime/precision.h)
  std::string checkpoint_path;       ///< where autosaves and the final save go (empty: no saving)
  std::int64_t autosave_every = 0;   ///< save every N steps (0: only the final save)
  bool save_resume_state = true;     ///< store online weights + Adam state + RNG position for resuming
  std::string loss = "simple";       ///< "simple" (L_simple, eq. 14) or "bound" (the variational bound's term; objective_loss.h)
  double label_dropout = 0.1;        ///< conditional models: each label is replaced by ∅ with this probability (Ho & Salimans 2022)
  /// Processes the run trains on (Trainer::set_data_parallel sets it; 1 otherwise).
  /// batch_size is per process: the global batch is batch_size × world_size.
  std::int64_t world_size = 1;

  /// Throws ddpm::Error naming the first value out of range.
  void validate() const;
};

/// Where a new run starts when the person says nothing else, the same in the CLI and the
/// Training view. The UNets (images) take the paper's lr and this project's EMA above. The
/// 2D MLP's runs are a few thousand steps, so it takes a larger lr and a shorter EMA
/// (docs/quality-2d.md compares the two on moons).
struct RunDefaults {
  std::int64_t steps;      ///< the Training view's Steps (the CLI asks for --steps)
  std::int64_t batch_size;
  double learning_rate;
  double ema_decay;
};

/// The defaults for a network preset: "mlp" (2D points) or a UNet preset (images).
RunDefaults run_defaults_for(const std::string& preset);

}  // namespace ddpm
