#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Shape of an AttentionBlock.
struct AttentionBlockOptions {
  explicit AttentionBlockOptions(std::int64_t channels) : channels_(channels) {}
  TORCH_ARG(std::int64_t, channels);
  TORCH_ARG(std::int64_t, groups) = 32;  ///< GroupNorm groups
};

/// Single-head self-attention over the H·W positions of a feature map (the DDPM
/// reference attn_block): h = GroupNorm(x); q, k, v = 1×1 convolutions of h;
/// w = softmax(q kᵀ / √C) over the keys; out = x + proj_out(w v).
class AttentionBlockImpl : public torch::nn::Module {
 public:
  explicit AttentionBlockImpl(const AttentionBlockOptions& options);
  /// x: [B, C, H, W] → [B, C, H, W].
  torch::Tensor forward(const torch::Tensor& x);

 private:
  AttentionBlockOptions options_;
  torch::nn::GroupNorm norm_{nullptr};
  torch::nn::Conv2d q_{nullptr}, k_{nullptr}, v_{nullptr}, proj_out_{nullptr};
};
TORCH_MODULE(AttentionBlock);

}  // namespace ddpm
