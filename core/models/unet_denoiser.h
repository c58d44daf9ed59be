#pragma once

#include "core/models/denoiser.h"
#include "core/models/label_embedding.h"
#include "core/models/residual_block.h"
#include "core/models/attention_block.h"
#include "core/models/unet_level.h"

#include <torch/torch.h>

namespace ddpm {

/// The DDPM UNet (Ho et al. 2020, appendix B; the reference TF code's unet.model):
/// conv_in; per level `res_blocks` residual blocks (attention after each at the
/// attention resolutions) and a stride-2 downsample except on the last level; a
/// middle of residual, attention, residual; per level, coarsest first,
/// `res_blocks + 1` residual blocks that each take the concatenation of the running
/// features and one skip, and an upsample except on the finest level; then
/// GroupNorm, SiLU and conv_out to the image's channels. The time embedding is
/// sinusoidal(base_channels) → Linear → SiLU → Linear (width time_embedding_dim,
/// 4 × base_channels by default) and enters every residual block.
/// Level i works at height H / 2^i, so H and W must be divisible by 2^(levels − 1).
class UNetDenoiserImpl : public DenoiserImpl {
 public:
  /// Builds from a validated UNet config.
  explicit UNetDenoiserImpl(const ModelConfig& config);

  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t,
                        const torch::Tensor& labels = {}) override;
  const ModelConfig& config() const override { return config_; }

 private:
  ModelConfig config_;
  torch::nn::Linear temb_dense0_{nullptr}, temb_dense1_{nullptr};
  LabelEmbedding label_embedding_{nullptr};  // conditional models only
  torch::nn::Conv2d conv_in_{nullptr};
  std::vector<UNetLevel> down_;
  ResidualBlock mid_block1_{nullptr};
  AttentionBlock mid_attn_{nullptr};
  ResidualBlock mid_block2_{nullptr};
  std::vector<UNetLevel> up_;  ///< up_[i] works at level i's resolution (run coarsest first)
  torch::nn::GroupNorm norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};

}  // namespace ddpm
