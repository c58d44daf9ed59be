#include "core/training/training_batch.h"

#include "core/runtime/random.h"

#include <limits>

namespace ddpm {
namespace {

// splitmix64's finaliser: neighbouring inputs give unrelated outputs.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t training_stream_seed(std::uint64_t seed, std::int64_t step) {
  return mix(mix(seed) ^ static_cast<std::uint64_t>(step));
}

std::uint64_t shard_stream_seed(std::uint64_t seed, std::int64_t shard, std::int64_t step) {
  // A different first mix than training_stream_seed's, so shard streams never repeat the single-process one.
  return mix(mix(mix(seed ^ 0x5DEECE66Dull) ^ static_cast<std::uint64_t>(shard)) ^ static_cast<std::uint64_t>(step));
}

torch::Tensor drop_labels(const torch::Tensor& labels, double p, std::int64_t null_label, at::Generator& generator) {
  const auto dropped = torch::rand({labels.size(0)}, generator, torch::kFloat64) < p;
  return labels.masked_fill(dropped.to(labels.device()), null_label);
}

TrainingBatch draw_training_batch(const BatchSource& source, std::int64_t rows, at::Generator& generator) {
  std::vector<std::int64_t> shape = {rows};
  shape.insert(shape.end(), source.sample_shape.begin(), source.sample_shape.end());
  // Algorithm 1: x_0 ~ q(x_0), t ~ Uniform({1..T}) (code 0..T−1), ε ~ N(0, I).
  TrainingBatch batch;
  batch.index = torch::randint(source.data_size, {rows}, generator, torch::kLong);
  batch.t = torch::randint(source.timesteps, {rows}, generator, torch::kLong);
  batch.noise = randn(shape, generator, source.device);
  if (source.model_has_dropout) {
    const auto seed = torch::randint(std::numeric_limits<std::int64_t>::max(), {1}, generator, torch::kLong);
    batch.dropout_seed = static_cast<std::uint64_t>(seed.item<std::int64_t>());
  }
  if (source.labels.defined())
    batch.labels = drop_labels(source.labels.index_select(0, batch.index.to(source.device)), source.label_dropout,
                               source.null_label, generator);
  return batch;
}

TrainingBatch concatenate(const std::vector<TrainingBatch>& batches) {
  if (batches.size() == 1) return batches.front();
  TrainingBatch all;
  const auto column = [&](torch::Tensor TrainingBatch::*member) {
    std::vector<torch::Tensor> parts;
    for (const auto& b : batches) parts.push_back(b.*member);
    return torch::cat(parts);
  };
  all.index = column(&TrainingBatch::index);
  all.t = column(&TrainingBatch::t);
  all.noise = column(&TrainingBatch::noise);
  if (batches.front().labels.defined()) all.labels = column(&TrainingBatch::labels);
  all.dropout_seed = batches.front().dropout_seed;
  return all;
}

}  // namespace ddpm
