#include "core/models/mlp_denoiser.h"

#include "core/models/float32_norm.h"
#include "core/models/layer_init.h"
#include "core/models/timestep_embedding.h"

namespace ddpm {

MlpDenoiserImpl::MlpDenoiserImpl(const ModelConfig& config) : config_(config) {
  const auto dim = config.sample_shape.at(0);
  const auto hidden = config.hidden;
  const auto temb = config.time_embedding_dim > 0 ? config.time_embedding_dim : 4 * hidden;
  in_proj_ = register_module("in_proj", torch::nn::Linear(dim, hidden));
  temb_dense0_ = register_module("temb_dense0", torch::nn::Linear(hidden, temb));
  temb_dense1_ = register_module("temb_dense1", torch::nn::Linear(temb, temb));
  ddpm_init(in_proj_);
  ddpm_init(temb_dense0_);
  ddpm_init(temb_dense1_);
  if (config.conditional())
    label_embedding_ = register_module("label_embedding", LabelEmbedding(config.num_classes, temb));
  auto list = register_module("blocks", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < config.blocks; ++i) {
    MlpBlock block(MlpBlockOptions(hidden, temb));
    list->push_back(block);
    blocks_.push_back(block);
  }
  norm_out_ = register_module("norm_out", torch::nn::LayerNorm(torch::nn::LayerNormOptions(std::vector<std::int64_t>{hidden})));
  out_proj_ = register_module("out_proj", torch::nn::Linear(hidden, dim));
  ddpm_init(out_proj_, 0.0);
}

torch::Tensor MlpDenoiserImpl::forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& labels) {
  const auto steps = check_denoiser_input(x_t, t, config_);
  auto temb = temb_dense0_(timestep_embedding(steps, config_.hidden));
  temb = condition_on_labels(label_embedding_, temb_dense1_(torch::silu(temb)), labels);
  auto h = in_proj_(x_t);
  for (auto& block : blocks_) h = block(h, temb);
  return out_proj_(torch::silu(float32_norm(norm_out_, h)));
}

}  // namespace ddpm
