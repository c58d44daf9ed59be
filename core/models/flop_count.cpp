#include "core/models/flop_count.h"

#include <algorithm>
#include <vector>

namespace ddpm {
namespace {

std::int64_t linear_flops(std::int64_t in, std::int64_t out) {
  return 2 * in * out;
}

/// A k×k convolution producing an `out`-channel map of `positions` pixels.
std::int64_t conv_flops(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t positions) {
  return 2 * in * out * kernel * kernel * positions;
}

ModelFlops mlp_flops(const ModelConfig& c) {
  const auto dim = c.sample_shape.at(0);
  const auto hidden = c.hidden;
  const auto temb = c.time_embedding_dim > 0 ? c.time_embedding_dim : 4 * hidden;
  ModelFlops flops;
  flops.linear += linear_flops(hidden, temb) + linear_flops(temb, temb);  // time embedding MLP
  flops.linear += linear_flops(dim, hidden);                               // in_proj
  flops.linear += c.blocks * (2 * linear_flops(hidden, hidden) + linear_flops(temb, hidden));
  flops.linear += linear_flops(hidden, dim);                               // out_proj
  return flops;
}

ModelFlops unet_flops(const ModelConfig& c) {
  const auto base = c.base_channels;
  const auto temb = c.time_embedding_dim > 0 ? c.time_embedding_dim : 4 * base;
  const auto levels = static_cast<std::int64_t>(c.channel_mult.size());
  const auto image_channels = c.sample_shape.at(0);
  const auto height = c.sample_shape.at(1), width = c.sample_shape.at(2);
  const auto pixels = [&](std::int64_t level) { return (height >> level) * (width >> level); };
  const auto has_attention = [&](std::int64_t level) {
    const auto& list = c.attention_resolutions;
    return std::find(list.begin(), list.end(), height >> level) != list.end();
  };

  ModelFlops flops;
  const auto residual_block = [&](std::int64_t in, std::int64_t out, std::int64_t level) {
    flops.convolution += conv_flops(in, out, 3, pixels(level)) + conv_flops(out, out, 3, pixels(level));
    if (in != out) flops.convolution += conv_flops(in, out, 1, pixels(level));  // 1×1 shortcut
    flops.linear += linear_flops(temb, out);                                    // temb_proj
  };
  const auto attention_block = [&](std::int64_t channels, std::int64_t level) {
    const auto n = pixels(level);
    flops.convolution += 4 * conv_flops(channels, channels, 1, n);  // q, k, v, proj_out
    flops.attention += 2 * (2 * n * n * channels);                 // q kᵀ: [n, C]·[C, n]; v wᵀ: [C, n]·[n, n]
  };

  flops.linear += linear_flops(base, temb) + linear_flops(temb, temb);
  flops.convolution += conv_flops(image_channels, base, 3, pixels(0));  // conv_in

  std::vector<std::int64_t> skip_channels = {base};
  std::int64_t channels = base;
  for (std::int64_t i = 0; i < levels; ++i) {
    const auto out = base * c.channel_mult[static_cast<std::size_t>(i)];
    for (std::int64_t j = 0; j < c.res_blocks; ++j) {
      residual_block(channels, out, i);
      if (has_attention(i)) attention_block(out, i);
      channels = out;
      skip_channels.push_back(out);
    }
    if (i + 1 < levels) {
      flops.convolution += conv_flops(out, out, 3, pixels(i + 1));  // stride-2 downsample
      skip_channels.push_back(out);
    }
  }

  residual_block(channels, channels, levels - 1);
  attention_block(channels, levels - 1);
  residual_block(channels, channels, levels - 1);

  for (std::int64_t i = levels - 1; i >= 0; --i) {
    const auto out = base * c.channel_mult[static_cast<std::size_t>(i)];
    for (std::int64_t j = 0; j <= c.res_blocks; ++j) {
      residual_block(channels + skip_channels.back(), out, i);
      if (has_attention(i)) attention_block(out, i);
      skip_channels.pop_back();
      channels = out;
    }
    if (i > 0) flops.convolution += conv_flops(out, out, 3, pixels(i - 1));  // conv after the 2× nearest upsample
  }
  flops.convolution += conv_flops(channels, image_channels, 3, pixels(0));  // conv_out
  return flops;
}

}  // namespace

ModelFlops forward_flops(const ModelConfig& config) {
  validate_model_config(config);
  return model_family(config.preset) == ModelFamily::Mlp ? mlp_flops(config) : unet_flops(config);
}

}  // namespace ddpm
