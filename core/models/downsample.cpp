#include "core/models/downsample.h"

#include "core/models/layer_init.h"

namespace ddpm {

DownsampleImpl::DownsampleImpl(std::int64_t channels) {
  conv_ = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(2)));
  ddpm_init(conv_);
}

torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) {
  return conv_(torch::constant_pad_nd(x, {0, 1, 0, 1}, 0));
}

}  // namespace ddpm
