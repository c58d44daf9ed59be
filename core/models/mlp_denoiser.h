#pragma once

#include "core/models/denoiser.h"
#include "core/models/label_embedding.h"
#include "core/models/mlp_block.h"

#include <torch/torch.h>

#include <vector>

namespace ddpm {

/// ε_θ for points in R^D (sample_shape {D}; D = 2 for the 2D toys): a residual MLP.
/// in_proj Linear(D, hidden); time embedding sinusoidal(hidden) → Linear → SiLU →
/// Linear (width time_embedding_dim, 4 × hidden by default); `blocks` MlpBlocks;
/// then LayerNorm, SiLU and out_proj Linear(hidden, D), initialised almost at zero.
class MlpDenoiserImpl : public DenoiserImpl {
 public:
  /// Builds from a validated MLP config.
  explicit MlpDenoiserImpl(const ModelConfig& config);

  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t,
                        const torch::Tensor& labels = {}) override;
  const ModelConfig& config() const override { return config_; }

 private:
  ModelConfig config_;
  torch::nn::Linear in_proj_{nullptr};
  torch::nn::Linear temb_dense0_{nullptr}, temb_dense1_{nullptr};
  LabelEmbedding label_embedding_{nullptr};  // conditional models only
  std::vector<MlpBlock> blocks_;
  torch::nn::LayerNorm norm_out_{nullptr};
  torch::nn::Linear out_proj_{nullptr};
};

}  // namespace ddpm
