#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Shape of a ResidualBlock.
struct ResidualBlockOptions {
  ResidualBlockOptions(std::int64_t in_channels, std::int64_t out_channels, std::int64_t temb_channels)
      : in_channels_(in_channels), out_channels_(out_channels), temb_channels_(temb_channels) {}
  TORCH_ARG(std::int64_t, in_channels);
  TORCH_ARG(std::int64_t, out_channels);
  TORCH_ARG(std::int64_t, temb_channels);  ///< width of the time embedding
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(std::int64_t, groups) = 32;    ///< GroupNorm groups
};

/// The DDPM UNet's residual block (Ho et al. 2020, appendix B; reference resnet_block):
/// h = conv3×3(SiLU(GroupNorm(x))) + Linear(SiLU(temb)), then
/// h = conv3×3(dropout(SiLU(GroupNorm(h)))), and out = shortcut(x) + h, where the
/// shortcut is a 1×1 convolution when the channel count changes, else the identity.
class ResidualBlockImpl : public torch::nn::Module {
 public:
  explicit ResidualBlockImpl(const ResidualBlockOptions& options);
  /// x: [B, in, H, W], temb: [B, temb_channels] → [B, out, H, W].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb);

 private:
  ResidualBlockOptions options_;
  torch::nn::GroupNorm norm1_{nullptr};
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::Linear temb_proj_{nullptr};
  torch::nn::GroupNorm norm2_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Conv2d conv2_{nullptr};
  torch::nn::Conv2d shortcut_{nullptr};  ///< only when in_channels != out_channels
};
TORCH_MODULE(ResidualBlock);

}  // namespace ddpm
