#pragma once

#include "core/models/denoiser.h"

#include <cstdint>

namespace ddpm {

/// Floating-point operations of one forward pass of ε_θ for ONE sample, counted
/// analytically from a ModelConfig by walking the same architecture the modules build:
/// 2 × the multiply-adds of every convolution, fully connected layer and attention
/// matmul (q kᵀ and w v). Bias adds, normalisation, activations, softmax, the
/// sinusoidal embedding, padding, upsampling and residual adds are not counted (under
/// 1 % of the total for the presets). A training step costs about 3 × forward (the
/// backward pass computes two products per forward product).
struct ModelFlops {
  std::int64_t convolution = 0;  ///< all Conv2d layers (3×3, 1×1 and the stride-2 downsample)
  std::int64_t linear = 0;       ///< Linear layers (time embedding, temb projections, MLP)
  std::int64_t attention = 0;    ///< the two batched matmuls of each self-attention block
  /// Sum of the three.
  std::int64_t total() const { return convolution + linear + attention; }
};

/// Counts the forward FLOPs per sample of the network `config` describes (validated
/// first; throws ddpm::Error for a bad config).
ModelFlops forward_flops(const ModelConfig& config);

}  // namespace ddpm
