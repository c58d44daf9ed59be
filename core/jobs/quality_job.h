#pragma once

#include "core/data/dataset.h"
#include "core/jobs/checkpoint_model.h"
#include "core/metrics/energy_distance.h"
#include "core/metrics/frechet_distance.h"
#include "core/metrics/image_quality_score.h"
#include "core/models/fmnist_classifier.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <functional>

namespace ddpm {

/// How the samples of one quality run are drawn.
struct QualitySamplingOptions {
  SamplerOptions sampler;          ///< n: samples in all; seed: the first batch's. clip_x0 is set here: images only
  std::int64_t image_batch = 256;  ///< images are drawn this many at a time, batch i with seed + i (points: one batch)
};

/// Where a quality run stands: called once with each batch's x_T (process.steps_taken()
/// == 0, before its first step) and after every step.
struct QualityStep {
  const ReverseProcess& process;  ///< the batch's reverse process
  std::int64_t batch = 0;         ///< 0-based index of the batch
  std::int64_t batches = 1;       ///< batches in the run
};
/// Called on the calling thread, see QualityStep.
using QualityStepCallback = std::function<void(const QualityStep&)>;

/// The samples a quality score is taken of.
struct QualitySamples {
  RunStatus status = RunStatus::Completed;  ///< Cancelled: `samples` is undefined
  torch::Tensor samples;  ///< points: float64 [n, 2] in the data's coordinates; images: float32 [n, C, H, W] in [−1, 1]
};

/// What the samples are compared with: held-out points and the training points behind
/// the Gaussian baseline (2D, data coordinates), or the classifier and the Gaussian
/// moments of its features on the reference images (images). Built once and reused by
/// every run that scores samples of one model (the Evaluate view loops over samplers).
struct QualityReference {
  torch::Tensor held_out;                 ///< 2D: [m, 2]
  torch::Tensor train_points;             ///< 2D: [N, 2], the Gaussian baseline is fitted to them
  FmnistClassifier classifier{nullptr};   ///< images: the feature extractor
  GaussianMoments moments;                ///< images: GaussianMoments::fit of the reference images' features

  /// True when this reference scores images (a classifier is set).
  bool images() const { return !classifier.is_empty(); }
};

/// A quality score: the energy distance for points, the Fréchet distance for images.
struct QualityScore {
  bool images = false;
  QualityScore2d points;  ///< 2D: energy distance, its Gaussian baseline, their ratio
  ImageQualityScore image;  ///< images: Fréchet distance, counts, predicted classes
  /// The score itself: points.energy_distance or image.frechet_distance.
  double value() const { return images ? image.frechet_distance : points.energy_distance; }
};

/// The job "the quality of a sampler" (score against steps), in two halves so callers can
/// look at the samples in between (check them, save them): draw_quality_samples, then
/// score_quality against a QualityReference. `ddpm score` runs it once; the GUI's
/// Evaluate view runs it for each sampler setting against one reference. Images are
/// drawn `image_batch` at a time with seed + i and mapped back to [−1, 1] through the
/// data's pixels, so the numbers are the same wherever it runs.

/// Number of batches draw_quality_samples takes for `options` (1 for points).
std::int64_t quality_batch_count(const CheckpointModel& model, const QualitySamplingOptions& options);

/// The sampler options of batch `index` of a run: n (the batch's share), seed + index,
/// clip_x0 for images; the rest as options.sampler.
SamplerOptions quality_batch_options(const CheckpointModel& model, const QualitySamplingOptions& options,
                                     std::int64_t index);

/// Draws options.sampler.n samples of `model`: points in one batch (in data coordinates),
/// images in batches (in [−1, 1], clip_x0 on). Reports through `on_step` (see
/// QualityStep); a set `cancel` stops before the next step with status Cancelled.
/// Throws ddpm::Error for sampler options the model cannot take.
QualitySamples draw_quality_samples(const CheckpointModel& model, const QualitySamplingOptions& options,
                                    const QualityStepCallback& on_step = {},
                                    const std::atomic<bool>* cancel = nullptr);

/// Scores `samples` (as draw_quality_samples returns them) against `reference`: 2D with
/// score_2d (the baseline's Gaussian drawn with `seed`), images with score_images.
/// Throws ddpm::Error for samples that do not fit the reference or are not finite.
QualityScore score_quality(const QualityReference& reference, const torch::Tensor& samples, std::uint64_t seed);

/// The Fashion-MNIST test set's feature moments under `classifier`: the images reference
/// (`data` says where the files are; its split is ignored). With a class (≥ 0), the moments
/// of that class's test images alone: the reference for class-conditional samples.
GaussianMoments fashion_mnist_test_moments(FmnistClassifierImpl& classifier, const DataOptions& data = {},
                                           std::int64_t class_label = -1);

/// A 2D data set in its own coordinates (float64 [N, 2]).
torch::Tensor points_in_data_coordinates(const Dataset& data);

}  // namespace ddpm
