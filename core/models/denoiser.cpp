#include "core/models/denoiser.h"

#include "core/runtime/threads.h"

#include "core/data/class_labels.h"
#include "core/models/mlp_denoiser.h"
#include "core/models/unet_denoiser.h"
#include "core/util/error.h"
#include "core/util/shape_text.h"

#include <algorithm>
#include <string>

namespace ddpm {

namespace {

void require_range(const std::string& field, std::int64_t value, std::int64_t low, std::int64_t high) {
  if (value < low || value > high)
    throw Error("model config: " + field + " must be between " + std::to_string(low) + " and " + std::to_string(high) +
                " (got " + std::to_string(value) + ")");
}

/// Largest image side and number of levels a UNet config may ask for.
constexpr std::int64_t kMaxImageSide = 4096;
constexpr std::int64_t kMaxLevels = 8;

void validate_mlp(const ModelConfig& c) {
  if (c.sample_shape.size() != 1)
    throw Error("model config: the " + c.preset + " model takes points, i.e. a 1-D sample shape such as [2] (got " +
                shape_text(c.sample_shape) + "); use a unet preset for images");
  require_range("sample_shape[0] (point dimension)", c.sample_shape[0], 1, kMaxModelChannels);
  require_range("hidden", c.hidden, 4, kMaxModelChannels);
  require_range("blocks", c.blocks, 1, 64);
  require_range("time_embedding_dim", c.time_embedding_dim, 0, 4 * kMaxModelChannels);
}

void validate_unet(const ModelConfig& c) {
  if (c.sample_shape.size() != 3)
    throw Error("model config: the " + c.preset + " model takes images, i.e. a sample shape [C, H, W] (got " +
                shape_text(c.sample_shape) + "); use the mlp preset for points");
  require_range("image channels", c.sample_shape[0], 1, kMaxModelChannels);
  require_range("image height", c.sample_shape[1], 1, kMaxImageSide);
  require_range("image width", c.sample_shape[2], 1, kMaxImageSide);
  require_range("base_channels", c.base_channels, 4, kMaxModelChannels);
  require_range("number of levels (channel_mult entries)", static_cast<std::int64_t>(c.channel_mult.size()), 1, kMaxLevels);
  require_range("res_blocks", c.res_blocks, 1, 32);
  require_range("groups", c.groups, 1, kMaxModelChannels);
  require_range("time_embedding_dim", c.time_embedding_dim, 0, 4 * kMaxModelChannels);
  if (!(c.dropout >= 0.0 && c.dropout < 1.0))
    throw Error("model config: dropout must be in [0, 1) (got " + std::to_string(c.dropout) + ")");
  if (c.base_channels % c.groups != 0)
    throw Error("model config: base_channels (" + std::to_string(c.base_channels) + ") must be divisible by groups (" +
                std::to_string(c.groups) + ") for GroupNorm");
  for (const auto mult : c.channel_mult) {
    require_range("channel_mult entry", mult, 1, kMaxModelChannels);
    const auto channels = c.base_channels * mult;
    if (channels > kMaxModelChannels)
      throw Error("model config: base_channels × channel_mult = " + std::to_string(channels) + " exceeds the limit of " +
                  std::to_string(kMaxModelChannels) + " channels");
    if (channels % c.groups != 0)
      throw Error("model config: " + std::to_string(channels) + " channels are not divisible by groups (" +
                  std::to_string(c.groups) + ") for GroupNorm");
  }
  for (const auto resolution : c.attention_resolutions) require_range("attention resolution", resolution, 1, kMaxImageSide);
  const auto factor = std::int64_t{1} << (c.channel_mult.size() - 1);
  if (c.sample_shape[1] % factor != 0 || c.sample_shape[2] % factor != 0)
    throw Error("model config: the " + c.preset + " model halves the image " + std::to_string(c.channel_mult.size() - 1) +
                " times, so height and width must be divisible by " + std::to_string(factor) + " (got " +
                std::to_string(c.sample_shape[1]) + "×" + std::to_string(c.sample_shape[2]) + ")");
}

}  // namespace

bool ModelConfig::operator==(const ModelConfig& other) const {
  if (preset != other.preset || sample_shape != other.sample_shape || time_embedding_dim != other.time_embedding_dim ||
      num_classes != other.num_classes || objective != other.objective)
    return false;
  const bool mlp_equal = hidden == other.hidden && blocks == other.blocks;
  const bool unet_equal = base_channels == other.base_channels && channel_mult == other.channel_mult &&
                          res_blocks == other.res_blocks && attention_resolutions == other.attention_resolutions &&
                          dropout == other.dropout && groups == other.groups;
  const auto& names = model_preset_names();
  if (std::find(names.begin(), names.end(), preset) == names.end()) return mlp_equal && unet_equal;
  return model_family(preset) == ModelFamily::Mlp ? mlp_equal : unet_equal;
}

std::string to_string(Objective objective) {
  switch (objective) {
    case Objective::Eps: return "eps";
    case Objective::Mu: return "mu";
    case Objective::X0: return "x0";
  }
  return "eps";
}

Objective objective_from_string(const std::string& name) {
  for (const Objective objective : {Objective::Eps, Objective::Mu, Objective::X0})
    if (to_string(objective) == name) return objective;
  throw Error("unknown objective \"" + name + "\"; valid objectives: eps, mu, x0");
}

ModelFamily model_family(const std::string& preset) {
  if (preset == "mlp") return ModelFamily::Mlp;
  if (preset == "unet-tiny" || preset == "unet-small" || preset == "unet-paper") return ModelFamily::UNet;
  std::string valid;
  for (const auto& name : model_preset_names()) valid += (valid.empty() ? "" : ", ") + name;
  throw Error("unknown model \"" + preset + "\"; valid models: " + valid);
}

void validate_model_config(const ModelConfig& config) {
  for (const auto side : config.sample_shape)
    if (side < 1) throw Error("model config: sample shape " + shape_text(config.sample_shape) + " has an empty dimension");
  require_range("num_classes", config.num_classes, 0, kMaxClasses);
  if (model_family(config.preset) == ModelFamily::Mlp)
    validate_mlp(config);
  else
    validate_unet(config);
}

Denoiser make_denoiser(const ModelConfig& config) {
  validate_model_config(config);
  if (model_family(config.preset) == ModelFamily::Mlp) return std::make_shared<MlpDenoiserImpl>(config);
  return std::make_shared<UNetDenoiserImpl>(config);
}

std::int64_t parameter_count(torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters(/*recurse=*/true))
    if (parameter.requires_grad()) count += parameter.numel();
  return count;
}

torch::Tensor check_denoiser_input(const torch::Tensor& x_t, const torch::Tensor& t, const ModelConfig& config) {
  std::vector<std::int64_t> expected = {-1};
  expected.insert(expected.end(), config.sample_shape.begin(), config.sample_shape.end());
  std::string expected_text = "[B";
  for (const auto side : config.sample_shape) expected_text += ", " + std::to_string(side);
  expected_text += "]";
  if (!x_t.defined()) throw Error("the model was given no input x_t");
  bool matches = x_t.dim() == static_cast<std::int64_t>(expected.size()) && x_t.size(0) >= 1;
  for (std::size_t i = 1; matches && i < expected.size(); ++i) matches = x_t.size(static_cast<std::int64_t>(i)) == expected[i];
  if (!matches)
    throw Error("the " + config.preset + " model expects x_t of shape " + expected_text + " with B ≥ 1, got " +
                shape_text(x_t.sizes()));
  if (!x_t.is_floating_point()) throw Error("the model expects floating-point x_t");
  if (!t.defined()) throw Error("the model was given no timesteps t");
  const auto batch = x_t.size(0);
  auto steps = t.dim() == 0 ? t.reshape({1}).expand({batch}) : t;
  if (steps.dim() != 1 || steps.size(0) != batch)
    throw Error("the model expects one timestep per batch row (" + std::to_string(batch) + "), got t of shape " +
                shape_text(t.sizes()));
  return steps.to(x_t.device(), torch::kFloat32);
}

int recommended_threads(const ModelConfig& config) {
  // Measured with `ddpm bench` (docs/performance.md): on a 2-core machine with other work
  // running, a second OpenMP thread made the UNet step 3-8x slower and the MLP step up to
  // 60x slower, since torch's threads spin-wait for each other. Leaving one core free
  // keeps the GUI and the rest of the machine responsive too.
  return config.preset == "mlp" ? 1 : std::max(1, hardware_threads() - 1);
}

}  // namespace ddpm
