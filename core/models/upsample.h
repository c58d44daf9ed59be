#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Doubles the resolution: nearest-neighbour ×2, then a 3×3 convolution
/// (the reference code's upsample with_conv). [B, C, H, W] → [B, C, 2H, 2W].
class UpsampleImpl : public torch::nn::Module {
 public:
  explicit UpsampleImpl(std::int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(Upsample);

}  // namespace ddpm
