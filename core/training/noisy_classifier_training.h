#pragma once

#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/noisy_classifier.h"
#include "core/training/classifier_training.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace ddpm {

/// Seeds torch's global generator with options.seed and builds a noise-aware classifier
/// of `shape` on options.device (one seed, one initialisation).
NoisyClassifier make_noisy_classifier(const NoisyClassifierOptions& shape, const ClassifierTrainOptions& options);

/// Trains p_φ(y | x_t, t) on noised data, as Dhariwal & Nichol (2021) train their
/// guidance classifiers: each minibatch of clean samples x_0 (`x0` [N, sample_shape…], in
/// the diffusion model's normalised space) gets t uniform in 0..T−1 and ε ~ N(0, I) from
/// the epoch's generator, and the loss is the cross-entropy of the classifier on
/// x_t = q_sample(x_0, t, ε) (eq. 4). `diffusion` must be the schedule of the model the
/// classifier will guide, on options.device. Otherwise as train_cross_entropy.
ClassifierTrainResult train_noisy_classifier(NoisyClassifierImpl& model, const GaussianDiffusion& diffusion,
                                             const torch::Tensor& x0, const torch::Tensor& labels,
                                             const ClassifierTrainOptions& options,
                                             const std::function<void(const ClassifierStepReport&)>& on_step = {},
                                             const std::atomic<bool>* cancel = nullptr);

/// The classifier's accuracy at one noise level: the fraction of x_t = q_sample(x_0, t, ε)
/// (ε from a generator seeded with `seed`, the same ε for every t) classified as `labels`.
/// Eval mode, no gradients, `batch_size` samples at a time.
double noisy_classifier_accuracy(NoisyClassifierImpl& model, const GaussianDiffusion& diffusion, const torch::Tensor& x0,
                                 const torch::Tensor& labels, std::int64_t t, std::uint64_t seed = 0,
                                 std::int64_t batch_size = 500);

/// The code indices at which `ddpm classifier train --noisy` reports the accuracy: 0, then
/// every T/10 (rounded), and T − 1.
std::vector<std::int64_t> accuracy_timesteps(std::int64_t T);

}  // namespace ddpm
