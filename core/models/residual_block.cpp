#include "core/models/residual_block.h"
#include "core/models/float32_norm.h"

#include "core/models/layer_init.h"

namespace ddpm {

namespace {
/// GroupNorm epsilon of the reference code (tf.contrib group_norm's default).
constexpr double kGroupNormEps = 1e-6;
}  // namespace

ResidualBlockImpl::ResidualBlockImpl(const ResidualBlockOptions& options) : options_(options) {
  const auto in = options.in_channels();
  const auto out = options.out_channels();
  norm1_ = register_module("norm1", torch::nn::GroupNorm(torch::nn::GroupNormOptions(options.groups(), in).eps(kGroupNormEps)));
  conv1_ = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)));
  temb_proj_ = register_module("temb_proj", torch::nn::Linear(options.temb_channels(), out));
  norm2_ = register_module("norm2", torch::nn::GroupNorm(torch::nn::GroupNormOptions(options.groups(), out).eps(kGroupNormEps)));
  dropout_ = register_module("dropout", torch::nn::Dropout(options.dropout()));
  conv2_ = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).padding(1)));
  ddpm_init(conv1_);
  ddpm_init(temb_proj_);
  ddpm_init(conv2_, 0.0);
  if (in != out) {
    shortcut_ = register_module("shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1)));
    ddpm_init(shortcut_);
  }
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& temb) {
  auto h = conv1_(torch::silu(float32_norm(norm1_, x)));
  h = h + temb_proj_(torch::silu(temb)).unsqueeze(-1).unsqueeze(-1);
  h = conv2_(dropout_(torch::silu(float32_norm(norm2_, h))));
  return (shortcut_ ? shortcut_(x) : x) + h;
}

}  // namespace ddpm
