#pragma once

#include <torch/torch.h>

#include <unordered_map>

namespace ddpm {

/// Adam's update (Kingma & Ba 2015, as torch::optim::Adam computes it) for every
/// parameter of `optimizer` in one fused multi-tensor CUDA kernel (ATen's _fused_adam_,
/// what PyTorch's `Adam(fused=True)` calls), instead of about ten kernel launches per
/// parameter tensor. It reads and writes the optimiser's own state (exp_avg, exp_avg_sq,
/// step), so checkpoints and resuming see no difference.
class FusedAdam {
 public:
  /// True when the fused kernel runs on `device` (CUDA with this LibTorch); tried once
  /// on a one-element tensor, so a build without the kernel falls back to the plain step.
  static bool available(const torch::Device& device);

  /// One step of `optimizer` with its current learning rates. The parameters must be on
  /// one CUDA device and the optimiser must not use AMSGrad.
  void step(torch::optim::Adam& optimizer);

 private:
  // The step count as the kernel reads it: a float32 scalar on the device per parameter,
  // kept here so no step copies it from the host.
  std::unordered_map<const void*, torch::Tensor> device_steps_;
};

}  // namespace ddpm
