#pragma once

#include <torch/torch.h>

namespace ddpm {

/// Readies torch for work on `device`, once per process: for CUDA, TF32 for float32
/// matrix products and convolutions (10-bit mantissa inputs, float32 accumulation, as
/// PyTorch's `torch.backends.*.allow_tf32 = True` does) and cuDNN's autotuner (it times
/// the candidate convolution algorithms for each new shape once and keeps the fastest).
/// Nothing for the CPU. The precision of a run: runtime/precision.h.
void prepare_device(const torch::Device& device);

}  // namespace ddpm
