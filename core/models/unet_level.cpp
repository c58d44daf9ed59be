#include "core/models/unet_level.h"

namespace ddpm {

UNetLevelImpl::UNetLevelImpl(const UNetLevelOptions& options) {
  auto res_list = register_module("res", torch::nn::ModuleList());
  torch::nn::ModuleList attn_list{nullptr};
  if (options.attention()) attn_list = register_module("attn", torch::nn::ModuleList());
  for (const auto in_channels : options.block_in_channels()) {
    ResidualBlock block(ResidualBlockOptions(in_channels, options.out_channels(), options.temb_channels())
                            .dropout(options.dropout())
                            .groups(options.groups()));
    res_list->push_back(block);
    res_.push_back(block);
    if (options.attention()) {
      AttentionBlock attention(AttentionBlockOptions(options.out_channels()).groups(options.groups()));
      attn_list->push_back(attention);
      attn_.push_back(attention);
    }
  }
  if (options.resample() == Resample::Down)
    downsample_ = register_module("downsample", Downsample(options.out_channels()));
  else if (options.resample() == Resample::Up)
    upsample_ = register_module("upsample", Upsample(options.out_channels()));
}

torch::Tensor UNetLevelImpl::forward_block(std::size_t j, const torch::Tensor& x, const torch::Tensor& temb) {
  auto h = res_.at(j)(x, temb);
  if (!attn_.empty()) h = attn_[j](h);
  return h;
}

torch::Tensor UNetLevelImpl::resample(const torch::Tensor& x) {
  if (downsample_) return downsample_(x);
  if (upsample_) return upsample_(x);
  return x;
}

}  // namespace ddpm
