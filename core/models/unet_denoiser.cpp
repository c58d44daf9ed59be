#include "core/models/unet_denoiser.h"
#include "core/models/float32_norm.h"

#include "core/models/layer_init.h"
#include "core/models/timestep_embedding.h"

#include <algorithm>

namespace ddpm {

UNetDenoiserImpl::UNetDenoiserImpl(const ModelConfig& config) : config_(config) {
  const auto base = config.base_channels;
  const auto temb = config.time_embedding_dim > 0 ? config.time_embedding_dim : 4 * base;
  const auto levels = static_cast<std::int64_t>(config.channel_mult.size());
  const auto image_channels = config.sample_shape.at(0);
  const auto height = config.sample_shape.at(1);
  const auto has_attention = [&](std::int64_t level) {
    const auto resolution = height >> level;
    const auto& list = config.attention_resolutions;
    return std::find(list.begin(), list.end(), resolution) != list.end();
  };

  temb_dense0_ = register_module("temb_dense0", torch::nn::Linear(base, temb));
  temb_dense1_ = register_module("temb_dense1", torch::nn::Linear(temb, temb));
  conv_in_ = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(image_channels, base, 3).padding(1)));
  ddpm_init(temb_dense0_);
  ddpm_init(temb_dense1_);
  if (config.conditional())
    label_embedding_ = register_module("label_embedding", LabelEmbedding(config.num_classes, temb));
  ddpm_init(conv_in_);

  // Down path; skip_channels lists the channels of every feature map pushed for the up path.
  std::vector<std::int64_t> skip_channels = {base};
  std::int64_t channels = base;
  auto down_list = register_module("down", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < levels; ++i) {
    const auto out = base * config.channel_mult[static_cast<std::size_t>(i)];
    std::vector<std::int64_t> block_in;
    for (std::int64_t j = 0; j < config.res_blocks; ++j) {
      block_in.push_back(channels);
      channels = out;
      skip_channels.push_back(out);
    }
    const bool last = i == levels - 1;
    if (!last) skip_channels.push_back(out);
    UNetLevel level(UNetLevelOptions(block_in, out, temb)
                        .dropout(config.dropout)
                        .groups(config.groups)
                        .attention(has_attention(i))
                        .resample(last ? Resample::None : Resample::Down));
    down_list->push_back(level);
    down_.push_back(level);
  }

  const auto block = [&](std::int64_t in, std::int64_t out) {
    return ResidualBlock(ResidualBlockOptions(in, out, temb).dropout(config.dropout).groups(config.groups));
  };
  mid_block1_ = register_module("mid_block1", block(channels, channels));
  mid_attn_ = register_module("mid_attn", AttentionBlock(AttentionBlockOptions(channels).groups(config.groups)));
  mid_block2_ = register_module("mid_block2", block(channels, channels));

  // Up path, coarsest level first; each block eats one skip from the back.
  up_.resize(static_cast<std::size_t>(levels), UNetLevel(nullptr));
  for (std::int64_t i = levels - 1; i >= 0; --i) {
    const auto out = base * config.channel_mult[static_cast<std::size_t>(i)];
    std::vector<std::int64_t> block_in;
    for (std::int64_t j = 0; j <= config.res_blocks; ++j) {
      block_in.push_back(channels + skip_channels.back());
      skip_channels.pop_back();
      channels = out;
    }
    up_[static_cast<std::size_t>(i)] = UNetLevel(UNetLevelOptions(block_in, out, temb)
                                                     .dropout(config.dropout)
                                                     .groups(config.groups)
                                                     .attention(has_attention(i))
                                                     .resample(i == 0 ? Resample::None : Resample::Up));
  }
  auto up_list = register_module("up", torch::nn::ModuleList());
  for (const auto& level : up_) up_list->push_back(level);  // up.i is level i, as in the reference code

  norm_out_ = register_module("norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(config.groups, channels).eps(1e-6)));
  conv_out_ = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, image_channels, 3).padding(1)));
  ddpm_init(conv_out_, 0.0);
}

torch::Tensor UNetDenoiserImpl::forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& labels) {
  const auto steps = check_denoiser_input(x_t, t, config_);
  auto temb = temb_dense0_(timestep_embedding(steps, config_.base_channels));
  temb = condition_on_labels(label_embedding_, temb_dense1_(torch::silu(temb)), labels);

  std::vector<torch::Tensor> skips = {conv_in_(x_t)};
  for (std::size_t i = 0; i < down_.size(); ++i) {
    for (std::size_t j = 0; j < down_[i]->size(); ++j) skips.push_back(down_[i]->forward_block(j, skips.back(), temb));
    if (i + 1 < down_.size()) skips.push_back(down_[i]->resample(skips.back()));
  }

  auto h = mid_block1_(skips.back(), temb);
  h = mid_attn_(h);
  h = mid_block2_(h, temb);

  for (std::size_t i = up_.size(); i-- > 0;) {
    for (std::size_t j = 0; j < up_[i]->size(); ++j) {
      h = up_[i]->forward_block(j, torch::cat({h, skips.back()}, 1), temb);
      skips.pop_back();
    }
    h = up_[i]->resample(h);
  }
  return conv_out_(torch::silu(float32_norm(norm_out_, h)));
}

}  // namespace ddpm
