#pragma once

#include <torch/torch.h>

namespace ddpm {

/// A normalisation layer applied in float32. Under bf16 autocast the convolutions before
/// it hand it bfloat16 activations; CUDA's autocast runs normalisations in float32 by
/// itself, LibTorch 1.13's CPU autocast does not, and its group_norm cannot mix bfloat16
/// input with float32 weights. Means and variances are where bf16's 8 bits hurt most,
/// so the input is cast up here. Nothing changes in float32.
template <typename Norm>
torch::Tensor float32_norm(Norm& norm, const torch::Tensor& x) {
  return norm(x.to(torch::kFloat32));
}

}  // namespace ddpm
