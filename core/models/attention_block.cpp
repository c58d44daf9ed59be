#include "core/models/attention_block.h"
#include "core/models/float32_norm.h"

#include "core/models/layer_init.h"

#include <cmath>

namespace ddpm {

AttentionBlockImpl::AttentionBlockImpl(const AttentionBlockOptions& options) : options_(options) {
  const auto c = options.channels();
  norm_ = register_module("norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(options.groups(), c).eps(1e-6)));
  q_ = register_module("q", torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 1)));
  k_ = register_module("k", torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 1)));
  v_ = register_module("v", torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 1)));
  proj_out_ = register_module("proj_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 1)));
  ddpm_init(q_);
  ddpm_init(k_);
  ddpm_init(v_);
  ddpm_init(proj_out_, 0.0);
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  const auto b = x.size(0), c = x.size(1), height = x.size(2), width = x.size(3);
  const auto h = float32_norm(norm_, x);
  const auto q = q_(h).reshape({b, c, height * width}).transpose(1, 2);  // [B, HW, C]
  const auto k = k_(h).reshape({b, c, height * width});                  // [B, C, HW]
  const auto v = v_(h).reshape({b, c, height * width});                  // [B, C, HW]
  const auto w = torch::softmax(torch::bmm(q, k) * (1.0 / std::sqrt(static_cast<double>(c))), -1);  // [B, HW(query), HW(key)]
  const auto attended = torch::bmm(v, w.transpose(1, 2)).reshape({b, c, height, width});
  return x + proj_out_(attended);
}

}  // namespace ddpm
