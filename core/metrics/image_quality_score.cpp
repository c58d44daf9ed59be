#include "core/metrics/image_quality_score.h"

#include "core/util/error.h"

namespace ddpm {

torch::Tensor quantise_to_8bit(const torch::Tensor& images) {
  const torch::Tensor pixels = ((images.to(torch::kFloat32).clamp(-1.0, 1.0) + 1.0) * 127.5).round();
  return pixels / 127.5 - 1.0;
}

ImageQualityScore score_images(FmnistClassifierImpl& classifier, const torch::Tensor& images,
                               const GaussianMoments& reference) {
  if (!images.defined() || images.dim() != 4 || images.size(0) < 2)
    throw Error("the image quality score needs at least 2 images shaped [N, 1, 28, 28]");
  if (!torch::isfinite(images).all().item<bool>())
    throw Error("the images contain NaN or infinite values; they cannot be scored");
  const torch::Tensor features = classifier_features(classifier, quantise_to_8bit(images));
  ImageQualityScore score;
  score.count = images.size(0);
  score.reference_count = reference.count;
  score.frechet_distance = frechet_distance(GaussianMoments::fit(features), reference);
  torch::NoGradGuard no_grad;
  const torch::Device device = classifier.parameters().front().device();
  const torch::Tensor predicted = classifier.logits_from_features(features.to(device)).argmax(1).to(torch::kCPU);
  const torch::Tensor counts = torch::bincount(predicted, {}, classifier.options().classes());
  for (std::int64_t c = 0; c < counts.size(0); ++c) score.predicted_classes.push_back(counts[c].item<std::int64_t>());
  return score;
}

}  // namespace ddpm
