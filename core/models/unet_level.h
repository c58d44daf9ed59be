#pragma once

#include "core/models/attention_block.h"
#include "core/models/downsample.h"
#include "core/models/residual_block.h"
#include "core/models/upsample.h"

#include <torch/torch.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace ddpm {

/// What follows a level's blocks: nothing, a Downsample or an Upsample.
enum class Resample { None, Down, Up };

/// Shape of one UNet resolution level.
struct UNetLevelOptions {
  UNetLevelOptions(std::vector<std::int64_t> block_in_channels, std::int64_t out_channels, std::int64_t temb_channels)
      : block_in_channels_(std::move(block_in_channels)), out_channels_(out_channels), temb_channels_(temb_channels) {}
  TORCH_ARG(std::vector<std::int64_t>, block_in_channels);  ///< input channels of each residual block
  TORCH_ARG(std::int64_t, out_channels);
  TORCH_ARG(std::int64_t, temb_channels);
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(std::int64_t, groups) = 32;
  TORCH_ARG(bool, attention) = false;      ///< self-attention after every residual block
  TORCH_ARG(Resample, resample) = Resample::None;
};

/// One resolution level of the DDPM UNet: residual blocks (each followed by
/// self-attention at the attention resolutions) and the resampling that ends the
/// level. The UNet drives it block by block, since the skip connections run between
/// blocks. Parameters are named res.j, attn.j, downsample / upsample.
class UNetLevelImpl : public torch::nn::Module {
 public:
  explicit UNetLevelImpl(const UNetLevelOptions& options);

  /// Number of residual blocks.
  std::size_t size() const { return res_.size(); }
  /// Residual block j, then its attention when the level has attention.
  torch::Tensor forward_block(std::size_t j, const torch::Tensor& x, const torch::Tensor& temb);
  /// The level's resampling (the identity for Resample::None).
  torch::Tensor resample(const torch::Tensor& x);

 private:
  std::vector<ResidualBlock> res_;
  std::vector<AttentionBlock> attn_;
  Downsample downsample_{nullptr};
  Upsample upsample_{nullptr};
};
TORCH_MODULE(UNetLevel);

}  // namespace ddpm
