#include "core/models/upsample.h"

#include "core/models/layer_init.h"

#include <vector>

namespace ddpm {

UpsampleImpl::UpsampleImpl(std::int64_t channels) {
  conv_ = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).padding(1)));
  ddpm_init(conv_);
}

torch::Tensor UpsampleImpl::forward(const torch::Tensor& x) {
  namespace F = torch::nn::functional;
  const std::vector<std::int64_t> size = {2 * x.size(2), 2 * x.size(3)};
  return conv_(F::interpolate(x, F::InterpolateFuncOptions().size(size).mode(torch::kNearest)));
}

}  // namespace ddpm
