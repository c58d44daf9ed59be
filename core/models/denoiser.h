#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ddpm {

/// What the network's output means (Ho et al. 2020, section 3.2 and Table 2): the noise ε
/// (the paper's choice, eq. 11), the posterior mean μ̃_t directly (its baseline), or x_0
/// (common since). Samplers and the bound always see ε: load_denoiser converts the other
/// two exactly (diffusion/parameterisation.h).
enum class Objective { Eps, Mu, X0 };
/// "eps", "mu", "x0"; the inverse throws ddpm::Error naming the choices.
std::string to_string(Objective objective);
Objective objective_from_string(const std::string& name);

/// Everything needed to rebuild a network: the preset it came from plus the
/// architecture numbers, so a checkpoint's metadata alone recreates the module.
/// The preset name picks the family ("mlp" or a "unet-…" name); the numbers of the
/// other family are carried along but mean nothing.
struct ModelConfig {
  std::string preset;                        ///< "mlp", "unet-tiny", "unet-small", "unet-paper"
  std::vector<std::int64_t> sample_shape;    ///< {2} for points, {C, H, W} for images
  // MLP
  std::int64_t hidden = 256;                 ///< width of the residual blocks
  std::int64_t blocks = 3;                   ///< number of residual blocks
  // UNet
  std::int64_t base_channels = 32;
  std::vector<std::int64_t> channel_mult = {1, 2, 2};
  std::int64_t res_blocks = 1;               ///< residual blocks per resolution level
  std::vector<std::int64_t> attention_resolutions = {7};  ///< feature-map heights with self-attention
  double dropout = 0.0;
  std::int64_t groups = 8;                   ///< GroupNorm groups (32 in the paper's preset)
  // both
  std::int64_t time_embedding_dim = 0;       ///< 0: 4 × base width (as in the paper)
  /// Class-conditional models (classifier-free guidance, Ho & Salimans 2022): the number
  /// of classes K; labels 0..K−1 name a class and K is the null label ∅. 0: unconditional.
  std::int64_t num_classes = 0;
  /// What the network predicts; checkpoints without it (all before it existed) are ε.
  Objective objective = Objective::Eps;

  bool conditional() const { return num_classes > 0; }

  /// Equal when both describe the same network: preset, sample shape, objective and the numbers
  /// of the preset's family (the other family's numbers are ignored).
  bool operator==(const ModelConfig& other) const;
  bool operator!=(const ModelConfig& other) const { return !(*this == other); }
};

/// The two network families behind the presets.
enum class ModelFamily { Mlp, UNet };

/// Family of a preset name; throws ddpm::Error naming the valid presets.
ModelFamily model_family(const std::string& preset);

/// Largest channel count (or MLP width) a config may ask for.
constexpr std::int64_t kMaxModelChannels = 4096;

/// ε_θ(x_t, t), or ε_θ(x_t, t, c) for a class-conditional model: the network that
/// predicts the noise in x_t (Ho et al. 2020, eq. 14). `t` is int64 code indices [B];
/// `labels` (conditional models only) int64 [B] in 0..K, K being the null label ∅, which
/// is also what undefined labels mean. The output has x_t's shape.
class DenoiserImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t,
                                const torch::Tensor& labels = {}) = 0;
  virtual const ModelConfig& config() const = 0;
};
using Denoiser = std::shared_ptr<DenoiserImpl>;

/// The named presets: "mlp" (2D), "unet-tiny", "unet-small", "unet-paper" (35.7M
/// parameters on 3×32×32, the paper's CIFAR-10 network). Throws ddpm::Error for an
/// unknown name or a sample shape the preset cannot take.
ModelConfig model_preset(const std::string& name, const std::vector<std::int64_t>& sample_shape);
/// Names accepted by model_preset, in menu order.
const std::vector<std::string>& model_preset_names();

/// Checks every number a config's family uses (ranges, GroupNorm divisibility, the
/// sample shape: 1-D for the MLP, {C, H, W} with H, W divisible by 2^(levels − 1) for
/// the UNet). Throws ddpm::Error naming the first bad field.
void validate_model_config(const ModelConfig& config);

/// Builds the network a config describes (randomly initialised from torch's global
/// generator, on the CPU). Validates the config first.
Denoiser make_denoiser(const ModelConfig& config);

/// Number of trainable parameters.
std::int64_t parameter_count(torch::nn::Module& module);

/// Torch intra-op threads that suit a network on this machine: 1 for the 2D MLP, whose
/// small ops lose more to thread hand-offs than they gain (and stall badly when the
/// cores are busy), one per core but one for the convolutional UNets (1 on two cores),
/// as measured in docs/performance.md.
int recommended_threads(const ModelConfig& config);

/// Checks that x_t is [B, sample_shape…] and t holds B timesteps (a 0-d t is
/// broadcast); returns t as float32 [B] on x_t's device. Throws ddpm::Error.
torch::Tensor check_denoiser_input(const torch::Tensor& x_t, const torch::Tensor& t, const ModelConfig& config);

/// The null label ∅ of a conditional model: K = config.num_classes.
inline std::int64_t null_label(const ModelConfig& config) { return config.num_classes; }

}  // namespace ddpm
