#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Shape of an FmnistClassifier. The defaults are the shipped classifier's.
struct FmnistClassifierOptions {
  TORCH_ARG(std::int64_t, channels1) = 32;       ///< first conv layer's channels (at 28×28)
  TORCH_ARG(std::int64_t, channels2) = 64;       ///< second (at 14×14)
  TORCH_ARG(std::int64_t, channels3) = 128;      ///< third (at 7×7)
  TORCH_ARG(std::int64_t, feature_dim) = 128;    ///< width of the penultimate (feature) layer
  TORCH_ARG(std::int64_t, classes) = 10;
};

/// Side of the square grayscale images the classifier takes (Fashion-MNIST's).
constexpr std::int64_t kClassifierImageSize = 28;

/// A small CNN that classifies Fashion-MNIST images and whose penultimate layer is the
/// feature space of the in-domain quality score (the role Inception's pool layer plays
/// in FID). Inputs are [B, 1, 28, 28] in the diffusion's normalised space [−1, 1].
///   3×3 conv(1 → c1) ReLU maxpool2   28 → 14
///   3×3 conv(c1 → c2) ReLU maxpool2  14 → 7
///   3×3 conv(c2 → c3) ReLU maxpool2   7 → 3
///   flatten (9·c3) → Linear → ReLU = features [B, feature_dim] → Linear = logits [B, classes]
class FmnistClassifierImpl : public torch::nn::Module {
 public:
  explicit FmnistClassifierImpl(const FmnistClassifierOptions& options = {});

  /// The penultimate-layer activations [B, feature_dim]. Throws ddpm::Error unless
  /// `images` is a floating [B ≥ 1, 1, 28, 28] tensor.
  torch::Tensor features(const torch::Tensor& images);
  /// Class logits [B, classes].
  torch::Tensor forward(const torch::Tensor& images);
  /// Logits from features already computed (the last layer alone).
  torch::Tensor logits_from_features(const torch::Tensor& features);

  const FmnistClassifierOptions& options() const { return options_; }

 private:
  FmnistClassifierOptions options_;
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
  torch::nn::Linear feature_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(FmnistClassifier);

/// Checks a classifier shape (every width in 1..4096, at least 2 classes); throws ddpm::Error.
void validate_classifier_options(const FmnistClassifierOptions& options);

/// Penultimate-layer features of `images` [N, 1, 28, 28] (in [−1, 1]), computed in
/// eval mode without gradients, `batch_size` at a time, on the model's device; returned
/// as float32 [N, feature_dim] on the CPU. Leaves the model in eval mode.
torch::Tensor classifier_features(FmnistClassifierImpl& model, const torch::Tensor& images,
                                  std::int64_t batch_size = 500);

/// Predicted class of each image (argmax of the logits), int64 [N] on the CPU, as classifier_features.
torch::Tensor classifier_predictions(FmnistClassifierImpl& model, const torch::Tensor& images,
                                     std::int64_t batch_size = 500);

}  // namespace ddpm
