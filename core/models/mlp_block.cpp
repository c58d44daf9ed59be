#include "core/models/mlp_block.h"
#include "core/models/float32_norm.h"

#include "core/models/layer_init.h"

#include <vector>

namespace ddpm {

MlpBlockImpl::MlpBlockImpl(const MlpBlockOptions& options) {
  const auto width = options.width();
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions(std::vector<std::int64_t>{width})));
  linear1_ = register_module("linear1", torch::nn::Linear(width, width));
  temb_proj_ = register_module("temb_proj", torch::nn::Linear(options.temb_channels(), width));
  linear2_ = register_module("linear2", torch::nn::Linear(width, width));
  ddpm_init(linear1_);
  ddpm_init(temb_proj_);
  ddpm_init(linear2_, 0.0);
}

torch::Tensor MlpBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& temb) {
  auto h = linear1_(torch::silu(float32_norm(norm_, x))) + temb_proj_(torch::silu(temb));
  return x + linear2_(torch::silu(h));
}

}  // namespace ddpm
