#pragma once

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// The arithmetic a run uses on a CUDA device (docs/performance.md, "GPU"):
///  - "fp32": float32 weights and activations; matrix products and convolutions may use
///    TF32 tensor cores (10-bit mantissa inputs, float32 accumulation), as PyTorch's
///    `torch.backends.*.allow_tf32 = True` does.
///  - "bf16": the forward pass under bf16 autocast (convolutions and matrix products in
///    bfloat16, normalisations and the loss in float32); weights, gradients and the Adam
///    state stay float32.
/// On the CPU only "fp32" is accepted. Throws ddpm::Error for any other word.
void check_precision(const std::string& precision);

/// Readies torch for work on `device`, once per process: for CUDA, TF32 for float32
/// matrix products and convolutions and cuDNN's autotuner (it times the candidate
/// convolution algorithms for each new shape once and keeps the fastest). Nothing for
/// the CPU.
void prepare_device(const torch::Device& device);

/// While alive, the CUDA ops of this thread run under bf16 autocast, when `device` is
/// CUDA and `precision` is "bf16"; otherwise it does nothing. Restores the previous
/// autocast state when destroyed.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, const std::string& precision);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  bool previous_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kHalf;
};

}  // namespace ddpm
