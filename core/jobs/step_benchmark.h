#pragma once

#include "core/models/denoiser.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// One benchmark case: a training or a sampling step of a preset at a batch size.
struct BenchCase {
  std::string kind;   ///< "train" or "sample"
  std::string model;  ///< the preset (model_preset)
  std::int64_t batch = 0;                  ///< samples per step
  std::vector<std::int64_t> sample_shape;  ///< {2} or {C, H, W}
  /// "train/mlp-b256": kind/model-bBATCH.
  std::string name() const { return kind + "/" + model + "-b" + std::to_string(batch); }
};

/// The cases `ddpm bench` times, in order: train and sample steps of the mlp (2D) and
/// unet-tiny (Fashion-MNIST) presets, then the paper's CIFAR-10 network (GPU-sized).
std::vector<BenchCase> bench_cases();

/// True for the cases sized for a GPU (the paper's CIFAR-10 network).
bool gpu_sized(const BenchCase& c);

/// How long to run each case.
struct BenchLimits {
  std::int64_t warmup = 3;   ///< untimed steps first
  std::int64_t repeat = 5;   ///< at least this many timed steps
  double seconds = 3.0;      ///< and at least this long
  bool full_run = false;     ///< sampling: also time one whole run of T steps
};

/// Where and how the steps are timed.
struct BenchSettings {
  std::string device = "cpu";      ///< "cpu", "cuda" or "auto"
  std::string precision = "fp32";  ///< the arithmetic of the timed steps (runtime/precision.h): "fp32" or "bf16"
  BenchLimits limits;              ///< how long
};

/// Per-step wall times in seconds, collected until both limits are met, and the process's
/// CPU time over them (all threads; spin-waiting threads count too).
struct StepTimes {
  std::vector<double> seconds;  ///< one per timed step
  double cpu_seconds = 0;        ///< process CPU time over the timed steps
  /// Sum of the step times.
  double total() const {
    double sum = 0;
    for (double s : seconds) sum += s;
    return sum;
  }
  /// Median step time (0 without steps).
  double median() const {
    auto sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const auto n = sorted.size();
    return n == 0 ? 0.0 : (n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]));
  }
  /// Shortest step time (0 without steps).
  double min() const { return seconds.empty() ? 0.0 : *std::min_element(seconds.begin(), seconds.end()); }
  /// True once both limits are met.
  bool enough(const BenchLimits& limits) const {
    return static_cast<std::int64_t>(seconds.size()) >= limits.repeat && total() >= limits.seconds;
  }
};

/// The job behind `ddpm bench` (bench/compare.sh compares it with PyTorch): times the real
/// training step (Trainer, on synthetic data of the case's shape) and reverse step
/// (ReverseProcess, default schedule) of a preset, after `warmup` untimed steps, until
/// both limits are met. The CLI selects the cases and prints the lines.
StepTimes time_training(const BenchCase& c, const ModelConfig& config, const BenchSettings& settings);

/// Sampling steps, and with limits.full_run the seconds of one whole run (run_seconds).
StepTimes time_sampling(const BenchCase& c, const ModelConfig& config, const BenchSettings& settings,
                        double* run_seconds);

}  // namespace ddpm
