#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/data/normalisation.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/sampling/reverse_process.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ddpm {

/// A checkpoint opened for sampling: its network (EMA weights, eval mode) on one device
/// and the forward process q of its schedule, loaded once, from which any number of
/// reverse processes start. This is the one place the recipe "checkpoint →
/// GaussianDiffusion + load_denoiser + ReverseProcess" lives; every job that samples a
/// checkpoint (the CLI's sample, score and nll, the GUI's sampling, exploration,
/// interpolation and evaluation workers) starts here.
struct CheckpointModel {
  Denoiser model;                          ///< ε_θ with the checkpoint's EMA weights, on `device`, eval mode
  GaussianDiffusion diffusion;             ///< q of the checkpoint's schedule (on the CPU)
  std::vector<std::int64_t> sample_shape;  ///< {2} or {C, H, W}
  Normalisation normalisation;             ///< data coordinates = normalisation.denormalise(sample)
  torch::Device device = torch::kCPU;      ///< where the network lives
  DataRange x0_range;                      ///< 2D: the box every sampler clamps x̂_0 into (checkpoint_x0_range)

  /// T, the number of diffusion steps of the schedule.
  std::int64_t steps() const { return diffusion.steps(); }
  /// True when the samples are images ({C, H, W}), false for 2D points.
  bool makes_images() const { return sample_shape.size() == 3; }
  /// A new reverse process p_θ for `options` (options.device should be `device`), with
  /// x̂_0 clamped into x0_range for 2D models unless options name a range of their own.
  /// Throws ddpm::Error for options the checkpoint cannot take (a step count out of range
  /// for T, …).
  ReverseProcess reverse_process(const SamplerOptions& options) const;
  /// Samples of the normalised space (e.g. ReverseProcess::sample()) in the data's own
  /// coordinates: float64 on the CPU, denormalised with the checkpoint's normalisation.
  torch::Tensor to_data_coordinates(const torch::Tensor& samples) const;
};

/// Where a 2D model's x̂_0 is clamped: the range its training data had (the checkpoint's
/// data.range). A checkpoint from before ranges were recorded, trained on a generated set
/// (moons, swissroll, …), gets the range of that set regenerated; other older 2D
/// checkpoints, and image models (clip_x0 does their [−1, 1]), get none.
DataRange checkpoint_x0_range(const CheckpointData& checkpoint);

/// Loads `checkpoint`'s network onto `device` and builds its forward process. Throws
/// ddpm::Error when the weights do not fit the model the checkpoint describes.
CheckpointModel open_checkpoint_model(const CheckpointData& checkpoint, torch::Device device);

/// The reverse process that samples `checkpoint` with `options`: its network on
/// options.device, its schedule. Same as open_checkpoint_model(…).reverse_process(options).
ReverseProcess open_reverse_process(const CheckpointData& checkpoint, const SamplerOptions& options);

}  // namespace ddpm
