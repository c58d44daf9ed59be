#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// The class input of a conditional ε_θ(x_t, t, c) (classifier-free guidance, Ho &
/// Salimans 2022): a learned vector per label 0..K, K being the null label ∅, added to
/// the time embedding, so every block that sees t also sees c. The table starts at zero,
/// so a new conditional network starts as its unconditional twin.
class LabelEmbeddingImpl : public torch::nn::Module {
 public:
  /// `classes` K ≥ 1 named labels plus ∅; rows of the time embedding's width `dim`.
  LabelEmbeddingImpl(std::int64_t classes, std::int64_t dim);
  /// temb [B, dim] + the rows of `labels` (int64 [B] in 0..K; undefined: ∅ for every
  /// row). Throws ddpm::Error for another shape or a label out of range.
  torch::Tensor forward(const torch::Tensor& temb, const torch::Tensor& labels);

 private:
  std::int64_t classes_;
  torch::nn::Embedding table_{nullptr};
};
TORCH_MODULE(LabelEmbedding);

/// What a denoiser adds to its time embedding: `embedding`(temb, labels) for a
/// conditional network, temb itself for an unconditional one (`embedding` empty), which
/// refuses labels with a ddpm::Error.
torch::Tensor condition_on_labels(LabelEmbedding& embedding, const torch::Tensor& temb, const torch::Tensor& labels);

}  // namespace ddpm
