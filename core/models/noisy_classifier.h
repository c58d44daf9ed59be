#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace ddpm {

/// Shape of a NoisyClassifier.
struct NoisyClassifierOptions {
  std::vector<std::int64_t> sample_shape;  ///< one sample: {D} (points) or {C, H, W} (images, H and W ≥ 4)
  std::int64_t classes = 10;               ///< at least 2
  std::int64_t width = 32;                 ///< hidden width (images: channels of the first convolution)
  std::int64_t time_dim = 64;              ///< width of the sinusoidal embedding of t (even, ≥ 4)

  bool images() const { return sample_shape.size() == 3; }
};

/// Checks a shape (sample shape {D} or {C, H, W} with H, W ≥ 4, every width in 1..4096,
/// classes in 2..4096, time_dim even in 4..1024); throws ddpm::Error naming the field.
void validate_noisy_classifier_options(const NoisyClassifierOptions& options);

/// A noise-aware classifier p_φ(y | x_t, t) for classifier guidance (Dhariwal & Nichol
/// 2021): it sees a noisy sample x_t from q(x_t | x_0) (eq. 4) and its timestep, and gives
/// class logits. The timestep (code index t = 0..T−1, as the denoiser takes it) enters as a
/// sinusoidal embedding through a two-layer MLP, added as a per-channel bias to every
/// hidden layer. Every activation is SiLU, so log p_φ is smooth in x_t and its gradient,
/// which guidance follows, has no dead regions.
///   images: 3×3 conv(C → w) ⊕t SiLU avgpool2, 3×3 conv(w → 2w) ⊕t SiLU avgpool2,
///           3×3 conv(2w → 4w) ⊕t SiLU, flatten, Linear(4w·⌊H/4⌋·⌊W/4⌋ → 4w) ⊕t SiLU, Linear → classes
///   points: Linear(D → w) ⊕t SiLU, Linear(w → w) ⊕t SiLU, Linear(w → w) ⊕t SiLU, Linear → classes
class NoisyClassifierImpl : public torch::nn::Module {
 public:
  explicit NoisyClassifierImpl(NoisyClassifierOptions options);

  /// Logits [B, classes] of x_t [B, sample_shape…] at code indices t [B]. Throws
  /// ddpm::Error for a sample shape other than the classifier's or a t of another length.
  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t);

  const NoisyClassifierOptions& options() const { return options_; }

 private:
  NoisyClassifierOptions options_;
  torch::nn::Linear time_in_{nullptr}, time_out_{nullptr};
  torch::nn::ModuleList layers_;      // the hidden layers (conv or linear), in order
  torch::nn::ModuleList time_bias_;   // per hidden layer: time features → that layer's channels
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(NoisyClassifier);

/// log p_φ(y | x_t, t) as logits: what classifier guidance needs of a classifier. A trained
/// NoisyClassifier (noisy_logits) or, in tests, an exact posterior.
using NoisyLogits = std::function<torch::Tensor(const torch::Tensor& x_t, const torch::Tensor& t)>;

/// The classifier as NoisyLogits, in eval mode; the function keeps the network alive.
NoisyLogits noisy_logits(NoisyClassifier model);

}  // namespace ddpm
