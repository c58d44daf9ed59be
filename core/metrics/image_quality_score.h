#pragma once

#include "core/metrics/frechet_distance.h"
#include "core/models/fmnist_classifier.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ddpm {

/// Images in [−1, 1] as an 8-bit PNG stores them: clamped to [−1, 1], mapped to 0..255,
/// rounded, and mapped back. Scoring these, not the raw floats, compares generated
/// images with the (already 8-bit) test images on equal terms.
torch::Tensor quantise_to_8bit(const torch::Tensor& images);

/// The in-domain image quality score: the Fréchet distance between Gaussians fitted to
/// the classifier's penultimate-layer features of the scored images and of a
/// reference set (the Fashion-MNIST test set), plus what the classifier thinks the
/// scored images are.
struct ImageQualityScore {
  double frechet_distance = 0;                   ///< ‖μ1 − μ2‖² + tr(Σ1 + Σ2 − 2(Σ1^{1/2}Σ2Σ1^{1/2})^{1/2})
  std::int64_t count = 0;                        ///< images scored
  std::int64_t reference_count = 0;              ///< images behind the reference Gaussian
  std::vector<std::int64_t> predicted_classes;   ///< how many scored images fall in each class
};

/// Scores `images` [N ≥ 2, 1, 28, 28] in [−1, 1] (quantised with quantise_to_8bit
/// first) against `reference` (GaussianMoments::fit of the reference images' features).
/// Throws ddpm::Error for bad shapes or non-finite images.
ImageQualityScore score_images(FmnistClassifierImpl& classifier, const torch::Tensor& images,
                               const GaussianMoments& reference);

}  // namespace ddpm
