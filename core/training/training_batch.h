#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace ddpm {

/// Classifier-free guidance's training labels (Ho & Salimans 2022, Algorithm 1): each of
/// `labels` replaced by `null_label` (∅) with probability p, independently, drawn from
/// `generator`; so one network learns both ε_θ(x_t, t, c) and ε_θ(x_t, t, ∅).
torch::Tensor drop_labels(const torch::Tensor& labels, double p, std::int64_t null_label, at::Generator& generator);

/// What a training batch is drawn from: the data set's size and labels, T, and the model's
/// wishes (a sample's shape, dropout, the null label).
struct BatchSource {
  std::int64_t data_size = 0;
  std::int64_t timesteps = 0;                ///< T: t is drawn from 0 … T − 1 (the paper's 1 … T)
  std::vector<std::int64_t> sample_shape;
  torch::Device device = torch::kCPU;        ///< where the noise goes
  torch::Tensor labels;                      ///< the data's labels on `device`; undefined: unconditional
  double label_dropout = 0;
  std::int64_t null_label = 0;
  bool model_has_dropout = false;            ///< draw a seed for torch's global generator (dropout masks)
};

/// One batch of Algorithm 1's draws: which examples x_0, their t and ε, the labels the
/// network sees (after label dropout), and the seed for dropout masks.
struct TrainingBatch {
  torch::Tensor index;   ///< rows of the data set (CPU, int64)
  torch::Tensor t;       ///< code timesteps (CPU, int64)
  torch::Tensor noise;   ///< ε ~ N(0, I), on the source's device
  torch::Tensor labels;  ///< undefined for an unconditional model
  std::optional<std::uint64_t> dropout_seed;
};

/// Draws `rows` examples from `generator` in a fixed order: index, t, ε, the dropout
/// seed, the label dropout. The order is part of a run's reproducibility.
TrainingBatch draw_training_batch(const BatchSource& source, std::int64_t rows, at::Generator& generator);

/// The batches one under the other (the first one's dropout seed).
TrainingBatch concatenate(const std::vector<TrainingBatch>& batches);

/// The seed of a single-process run's one generator, positioned by its start step:
/// splitmix64 of the run's seed, so the stream is independent of torch's global generator
/// that the same seed initialises the weights from.
std::uint64_t training_stream_seed(std::uint64_t seed, std::int64_t step);

/// The seed of shard `shard`'s draws at step `step` of a data-parallel run: each rank
/// draws its part of the global batch from its own stream, a fresh generator every step,
/// so a run needs no per-rank generator state to resume and one process drawing the
/// shards 0 … W − 1 repeats W processes' examples and noise exactly.
std::uint64_t shard_stream_seed(std::uint64_t seed, std::int64_t shard, std::int64_t step);

}  // namespace ddpm
