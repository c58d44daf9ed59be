// The named model presets (model_preset, model_preset_names of models/denoiser.h).
#include "core/models/denoiser.h"

#include "core/util/error.h"
#include "core/util/shape_text.h"

#include <string>

namespace ddpm {

namespace {

void check_image_shape(const std::string& name, const std::vector<std::int64_t>& shape, std::int64_t levels) {
  if (shape.size() != 3)
    throw Error("the " + name + " model is for images (C×H×W samples), but this data has samples of shape " +
                shape_text(shape) + "; use the mlp model for points");
  const auto factor = std::int64_t{1} << (levels - 1);
  if (shape[1] < 1 || shape[2] < 1 || shape[1] % factor != 0 || shape[2] % factor != 0)
    throw Error("the " + name + " model halves the image " + std::to_string(levels - 1) +
                " times, so height and width must be divisible by " + std::to_string(factor) + "; " +
                shape_text(shape) + " is not" + (levels > 3 ? " (unet-tiny and unet-small need only 4)" : ""));
}

}  // namespace

const std::vector<std::string>& model_preset_names() {
  static const std::vector<std::string> names = {"mlp", "unet-tiny", "unet-small", "unet-paper"};
  return names;
}

ModelConfig model_preset(const std::string& name, const std::vector<std::int64_t>& sample_shape) {
  ModelConfig config;
  config.preset = name;
  config.sample_shape = sample_shape;
  if (model_family(name) == ModelFamily::Mlp) {
    if (sample_shape.size() != 1)
      throw Error("the mlp model is for points (1-D samples such as x,y), but this data has samples of shape " +
                  shape_text(sample_shape) + "; use unet-tiny, unet-small or unet-paper for images");
    // Measured on gaussians8 (3000 Adam steps, batch 256): width 128 gave samples as
    // good as or better than 256 at a quarter of the cost per step.
    config.hidden = 128;
    config.blocks = 3;
    config.time_embedding_dim = 128;
  } else if (name == "unet-tiny") {
    // CPU-trainable in minutes on 28×28: three levels (28, 14, 7), attention at the coarsest.
    config.base_channels = 32;
    config.channel_mult = {1, 2, 2};
    config.res_blocks = 1;
    config.dropout = 0.0;
    config.groups = 8;
    check_image_shape(name, sample_shape, 3);
    config.attention_resolutions = {sample_shape[1] / 4};
  } else if (name == "unet-small") {
    // Twice the width, two blocks per level, attention one level down (14 on 28×28, 16 on 32×32).
    config.base_channels = 64;
    config.channel_mult = {1, 2, 2};
    config.res_blocks = 2;
    config.dropout = 0.1;
    config.groups = 32;
    check_image_shape(name, sample_shape, 3);
    config.attention_resolutions = {sample_shape[1] / 2};
  } else {
    // Ho et al. 2020, appendix B (CIFAR-10): 35.7M parameters on 3×32×32.
    config.base_channels = 128;
    config.channel_mult = {1, 2, 2, 2};
    config.res_blocks = 2;
    config.attention_resolutions = {16};
    config.dropout = 0.1;
    config.groups = 32;
    check_image_shape(name, sample_shape, 4);
  }
  validate_model_config(config);
  return config;
}

}  // namespace ddpm
