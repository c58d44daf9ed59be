#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Halves the resolution with a learned 3×3 convolution of stride 2. Like the
/// reference TF code ('SAME' padding on even sizes) the input is padded by one row and
/// column at the bottom and right only, so [B, C, 2H, 2W] → [B, C, H, W].
class DownsampleImpl : public torch::nn::Module {
 public:
  explicit DownsampleImpl(std::int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(Downsample);

}  // namespace ddpm
