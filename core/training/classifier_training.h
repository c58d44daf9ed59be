#pragma once

#include "core/models/fmnist_classifier.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace ddpm {

/// How to train the quality-score classifier: Adam on cross-entropy, shuffled minibatches.
struct ClassifierTrainOptions {
  std::int64_t epochs = 3;
  std::int64_t batch_size = 128;
  double learning_rate = 1e-3;
  std::uint64_t seed = 0;            ///< initial weights (torch's global generator) and the shuffling
  torch::Device device = torch::kCPU;

  /// Throws ddpm::Error naming the first bad field.
  void validate() const;
};

/// Progress of classifier training after one minibatch, as plain values.
struct ClassifierStepReport {
  std::int64_t epoch = 0;        ///< 0-based epoch of this step
  std::int64_t step = 0;         ///< minibatches done in all (1 after the first)
  std::int64_t total_steps = 0;  ///< epochs × minibatches per epoch
  double loss = 0;               ///< the minibatch's mean cross-entropy
};

/// How a training run ended, and the mean cross-entropy of each completed epoch.
struct ClassifierTrainResult {
  RunStatus status = RunStatus::Completed;
  std::vector<double> epoch_losses;
};

/// The logits of one minibatch x (on options.device) for cross-entropy training; may draw
/// from `generator` (e.g. the noise of a noise-aware classifier).
using BatchLogits = std::function<torch::Tensor(const torch::Tensor& x, at::Generator& generator)>;

/// The training loop of every classifier: each epoch visits every sample of `x` [N, …]
/// once in an order drawn from a generator seeded with options.seed + epoch, in
/// minibatches of options.batch_size (the last one smaller), minimising the mean
/// cross-entropy of logits(x_batch, that generator) against `labels` (int64 [N] in
/// 0..classes − 1) with Adam on model's parameters. Calls `on_step` after each minibatch;
/// checks `cancel` before each and returns Cancelled when set. Throws ddpm::Error for
/// mismatched data, bad options or a loss that is not finite. Leaves the model in eval mode.
ClassifierTrainResult train_cross_entropy(torch::nn::Module& model, const BatchLogits& logits, const torch::Tensor& x,
                                          const torch::Tensor& labels, std::int64_t classes,
                                          const ClassifierTrainOptions& options,
                                          const std::function<void(const ClassifierStepReport&)>& on_step = {},
                                          const std::atomic<bool>* cancel = nullptr);

/// Seeds torch's global generator with options.seed and builds a classifier of `shape`
/// (so one seed gives one initialisation), on options.device.
FmnistClassifier make_classifier(const FmnistClassifierOptions& shape, const ClassifierTrainOptions& options);

/// Trains `model` to predict `labels` (int64 [N], 0..classes−1) from `images`
/// [N, 1, 28, 28] in [−1, 1] with train_cross_entropy.
ClassifierTrainResult train_classifier(FmnistClassifierImpl& model, const torch::Tensor& images,
                                       const torch::Tensor& labels, const ClassifierTrainOptions& options,
                                       const std::function<void(const ClassifierStepReport&)>& on_step = {},
                                       const std::atomic<bool>* cancel = nullptr);

/// Fraction of `images` whose predicted class equals `labels` (eval mode, no gradients).
double classifier_accuracy(FmnistClassifierImpl& model, const torch::Tensor& images, const torch::Tensor& labels,
                           std::int64_t batch_size = 500);

}  // namespace ddpm
