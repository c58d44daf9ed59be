#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Shape of an MlpBlock.
struct MlpBlockOptions {
  MlpBlockOptions(std::int64_t width, std::int64_t temb_channels) : width_(width), temb_channels_(temb_channels) {}
  TORCH_ARG(std::int64_t, width);
  TORCH_ARG(std::int64_t, temb_channels);  ///< width of the time embedding
};

/// The MLP's residual block, the fully connected twin of the UNet's ResidualBlock:
/// h = Linear(SiLU(LayerNorm(x))) + Linear(SiLU(temb)), out = x + Linear(SiLU(h)),
/// the last layer initialised almost at zero so the block starts as the identity.
class MlpBlockImpl : public torch::nn::Module {
 public:
  explicit MlpBlockImpl(const MlpBlockOptions& options);
  /// x: [B, width], temb: [B, temb_channels] → [B, width].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb);

 private:
  torch::nn::LayerNorm norm_{nullptr};
  torch::nn::Linear linear1_{nullptr};
  torch::nn::Linear temb_proj_{nullptr};
  torch::nn::Linear linear2_{nullptr};
};
TORCH_MODULE(MlpBlock);

}  // namespace ddpm
