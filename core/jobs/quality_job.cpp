#include "core/jobs/quality_job.h"

#include <algorithm>
#include <vector>

namespace ddpm {

std::int64_t quality_batch_count(const CheckpointModel& model, const QualitySamplingOptions& options) {
  if (!model.makes_images()) return 1;
  return (options.sampler.n + options.image_batch - 1) / options.image_batch;
}

SamplerOptions quality_batch_options(const CheckpointModel& model, const QualitySamplingOptions& options,
                                     std::int64_t index) {
  const bool images = model.makes_images();
  const std::int64_t batch = images ? options.image_batch : options.sampler.n;
  SamplerOptions sampler = options.sampler;
  sampler.n = std::min(batch, options.sampler.n - index * batch);
  sampler.seed = options.sampler.seed + static_cast<std::uint64_t>(index);
  sampler.clip_x0 = images;
  return sampler;
}

QualitySamples draw_quality_samples(const CheckpointModel& model, const QualitySamplingOptions& options,
                                    const QualityStepCallback& on_step, const std::atomic<bool>* cancel) {
  const bool images = model.makes_images();
  const std::int64_t batches = quality_batch_count(model, options);
  std::vector<torch::Tensor> parts;
  for (std::int64_t i = 0; i < batches; ++i) {
    ReverseProcess process = model.reverse_process(quality_batch_options(model, options, i));
    const auto report = [&](const ReverseProcess& p) {
      if (on_step) on_step(QualityStep{p, i, batches});
    };
    report(process);  // x_T
    if (run_to_end(process, report, cancel) == RunStatus::Cancelled) return {RunStatus::Cancelled, {}};
    const torch::Tensor raw = model.to_data_coordinates(process.sample());
    // Images: back to pixels with the checkpoint's normalisation, then to [−1, 1].
    parts.push_back(images ? Normalisation::pixels_to_unit_range().normalise(raw).to(torch::kFloat32) : raw);
  }
  return {RunStatus::Completed, torch::cat(parts, 0)};
}

QualityScore score_quality(const QualityReference& reference, const torch::Tensor& samples, std::uint64_t seed) {
  QualityScore score;
  score.images = reference.images();
  if (score.images)
    score.image = score_images(*reference.classifier.ptr(), samples, reference.moments);
  else
    score.points = score_2d(samples, reference.held_out, reference.train_points, seed);
  return score;
}

GaussianMoments fashion_mnist_test_moments(FmnistClassifierImpl& classifier, const DataOptions& data,
                                           std::int64_t class_label) {
  DataOptions test = data;
  test.split = Split::Test;
  Dataset images = load_dataset("fashion-mnist", test);
  if (class_label >= 0) images = only_class(images, class_label);
  return GaussianMoments::fit(classifier_features(classifier, images.x));
}

torch::Tensor points_in_data_coordinates(const Dataset& data) {
  return data.normalisation.denormalise(data.x.to(torch::kFloat64));
}

}  // namespace ddpm
