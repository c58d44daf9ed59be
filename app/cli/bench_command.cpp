// ddpm bench: timings of the real training step (Trainer) and reverse step
// (ReverseProcess) for the CPU presets, one JSON line per case. bench/python/ builds the
// same models and steps in PyTorch and prints the same lines; bench/compare.sh runs both.
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/models/flop_count.h"
#include "core/runtime/device.h"
#include "core/runtime/threads.h"
#include "core/sampling/reverse_process.h"
#include "core/training/trainer.h"
#include "core/util/error.h"

#include <dlfcn.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ddpm::cli {
namespace {

using Clock = std::chrono::steady_clock;

/// One benchmark case: a training or a sampling step of a preset at a batch size.
struct BenchCase {
  std::string kind;   // "train" or "sample"
  std::string model;  // preset
  std::int64_t batch = 0;
  std::vector<std::int64_t> sample_shape;
  std::string name() const { return kind + "/" + model + "-b" + std::to_string(batch); }
};

std::vector<BenchCase> all_cases() {
  const std::vector<std::int64_t> points = {2}, fashion = {1, 28, 28}, cifar = {3, 32, 32};
  std::vector<BenchCase> cases;
  for (const char* kind : {"train", "sample"}) {
    cases.push_back({kind, "mlp", 256, points});
    cases.push_back({kind, "unet-tiny", 64, fashion});
    cases.push_back({kind, "unet-tiny", 128, fashion});
  }
  // The paper's CIFAR-10 network at the paper's batch (training) and 256 samples (its
  // sampling figure): GPU-sized, so run only on CUDA, or when --case names unet-paper.
  cases.push_back({"train", "unet-paper", 128, cifar});
  cases.push_back({"sample", "unet-paper", 256, cifar});
  return cases;
}

bool gpu_sized(const BenchCase& c) { return c.model == "unet-paper"; }

/// A GPU-sized case runs with a CUDA device, or on the CPU only when a filter names its model.
bool runs_here(const BenchCase& c, const std::vector<std::string>& filters, bool cuda) {
  if (!gpu_sized(c) || cuda) return true;
  for (const auto& f : filters)
    if (f.find(c.model) != std::string::npos) return true;
  return false;
}

/// How long to run each case.
struct BenchLimits {
  std::int64_t warmup = 3;   // untimed steps first
  std::int64_t repeat = 5;   // at least this many timed steps
  double seconds = 3.0;      // and at least this long
  bool full_run = false;     // sampling: also time one whole run of T steps
};

/// The arithmetic of the timed steps (runtime/cuda_speed.h): "fp32" or "bf16".
struct BenchSettings {
  std::string device = "cpu";
  std::string precision = "fp32";
  BenchLimits limits;
};

/// Per-step wall times in seconds, collected until both limits are met, and the process's
/// CPU time over them (all threads; spin-waiting threads count too).
struct StepTimes {
  std::vector<double> seconds;
  double cpu_seconds = 0;
  double total() const {
    double sum = 0;
    for (double s : seconds) sum += s;
    return sum;
  }
  double median() const {
    auto sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const auto n = sorted.size();
    return n == 0 ? 0.0 : (n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]));
  }
  double min() const { return seconds.empty() ? 0.0 : *std::min_element(seconds.begin(), seconds.end()); }
  bool enough(const BenchLimits& limits) const {
    return static_cast<std::int64_t>(seconds.size()) >= limits.repeat && total() >= limits.seconds;
  }
};

void synchronize(torch::Device device) {
  // A step's CUDA kernels may still be queued when it returns; the per-step .item() of the
  // trainer syncs already, the sampler does not, so wait for the device before reading the clock.
  if (device.is_cuda()) torch::randn({1}, torch::TensorOptions().device(device)).cpu();
}

/// In-memory data of the right shape: the step's cost does not depend on the values.
Dataset synthetic_data(const BenchCase& c) {
  Dataset data;
  data.spec = parse_data_spec(c.sample_shape.size() == 1 ? "gaussians8" : "fashion-mnist");
  data.kind = c.sample_shape.size() == 1 ? DataKind::Points2D : DataKind::Images;
  std::vector<std::int64_t> shape = {4096};
  shape.insert(shape.end(), c.sample_shape.begin(), c.sample_shape.end());
  data.x = torch::randn(shape).clamp_(-1.0, 1.0);
  return data;
}

StepTimes time_training(const BenchCase& c, const ModelConfig& config, const BenchSettings& settings) {
  const BenchLimits& limits = settings.limits;
  TrainOptions options;
  options.batch_size = c.batch;
  options.device = settings.device;
  options.precision = settings.precision;
  options.save_resume_state = false;
  Trainer trainer(synthetic_data(c), config, ScheduleSpec{}, options);
  trainer.run(limits.warmup);
  StepTimes times;
  const auto cpu_start = std::clock();
  auto last = Clock::now();
  while (!times.enough(limits)) {
    const auto result = trainer.run(1);  // the trainer's .item() on the loss syncs the device
    if (result.status != TrainStatus::Finished) throw Error("benchmark training step failed: " + result.message);
    const auto now = Clock::now();
    times.seconds.push_back(std::chrono::duration<double>(now - last).count());
    last = now;
  }
  times.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return times;
}

/// Sampling steps, and with limits.full_run the seconds of one whole run (run_seconds).
StepTimes time_sampling(const BenchCase& c, const ModelConfig& config, const BenchSettings& settings,
                        double* run_seconds) {
  const BenchLimits& limits = settings.limits;
  const auto device = resolve_device(settings.device);
  torch::manual_seed(0);
  auto model = make_denoiser(config);
  model->to(device);
  const GaussianDiffusion diffusion(NoiseSchedule(ScheduleSpec{}), device);
  SamplerOptions options;
  options.n = c.batch;
  options.device = device;
  options.clip_x0 = c.sample_shape.size() == 3;  // as `ddpm sample` does for images
  options.precision = settings.precision;
  auto process = std::make_unique<ReverseProcess>(model, diffusion, c.sample_shape, options);
  const auto step = [&] {
    if (process->done()) process = std::make_unique<ReverseProcess>(model, diffusion, c.sample_shape, options);
    process->step();
  };
  for (std::int64_t i = 0; i < limits.warmup; ++i) step();
  synchronize(device);
  StepTimes times;
  const auto cpu_start = std::clock();
  auto last = Clock::now();
  while (!times.enough(limits)) {
    step();
    synchronize(device);
    const auto now = Clock::now();
    times.seconds.push_back(std::chrono::duration<double>(now - last).count());
    last = now;
  }
  times.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (limits.full_run && run_seconds) {
    ReverseProcess run(model, diffusion, c.sample_shape, options);
    synchronize(device);
    const auto start = Clock::now();
    while (!run.done()) run.step();
    synchronize(device);
    *run_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return times;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

bool selected(const BenchCase& c, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  for (const auto& f : filters)
    if (c.name().find(f) != std::string::npos) return true;
  return false;
}

// The malloc this process runs on: tcmalloc when the build links it (CMake DDPM_TCMALLOC),
// otherwise glibc's. Looked up at run time, so a link that lost it shows.
std::string allocator_name() { return dlsym(RTLD_DEFAULT, "tc_malloc") ? "tcmalloc" : "glibc"; }

std::string torch_version() {
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  struct Options {
    std::string cases;
    std::string threads;
    BenchSettings settings;
    double peak_tflops = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "bench", "Time training and sampling steps of the presets on synthetic data; one JSON line per case");
  command->add_option("--case", options->cases,
                      "Comma-separated filters on the case names (train/mlp-b256, train/unet-tiny-b64, "
                      "train/unet-tiny-b128, sample/…); a case runs when its name contains any of them (default: all)");
  command->add_option("--threads", options->threads,
                      "Comma-separated torch thread counts to run each case with, e.g. 1,2 "
                      "(default: the global --threads, else what each model uses: 1 for mlp, one per core but one for unets)");
  command->add_option("--warmup", options->settings.limits.warmup, "Untimed steps before timing each case")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  command->add_option("--repeat", options->settings.limits.repeat, "Time at least this many steps per case")
      ->check(CLI::Range(1, 100000000))
      ->capture_default_str();
  command->add_option("--seconds", options->settings.limits.seconds, "…and for at least this many seconds")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  command->add_option("--device", options->settings.device, "cpu, cuda or auto")->capture_default_str();
  command->add_option("--precision", options->settings.precision, "fp32 (TF32 on CUDA) or bf16 (autocast, CUDA only)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
  command->add_flag("--full-run", options->settings.limits.full_run,
                    "Sampling cases: also time one whole run of T steps (run_seconds)");
  command->add_option("--peak-tflops", options->peak_tflops,
                      "The device's peak rate for this precision, to report the fraction reached (e.g. 989 for an "
                      "H100 SXM in dense bf16)");

  command->callback([options] {
    const auto& o = *options;
    const auto device = resolve_device(o.settings.device);  // a bad --device fails before any work
    if (o.settings.precision == "bf16" && !device.is_cuda()) throw UsageError("--precision bf16 needs a CUDA device");
    if (!(o.peak_tflops >= 0)) throw UsageError("--peak-tflops must be a positive rate");
    std::vector<int> thread_counts;
    for (const auto& item : split_list(o.threads)) {
      int value = 0;
      try {
        std::size_t used = 0;
        value = std::stoi(item, &used);
        if (used != item.size()) value = 0;
      } catch (const std::exception&) {
        value = 0;
      }
      if (value < 1 || value > 1024) throw UsageError("--threads takes counts like 1 or 1,2; got '" + item + "'");
      thread_counts.push_back(value);
    }
    const auto filters = split_list(o.cases);
    std::vector<BenchCase> cases;
    for (const auto& c : all_cases())
      if (selected(c, filters) && runs_here(c, filters, device.is_cuda())) cases.push_back(c);
    if (cases.empty()) throw UsageError("--case '" + o.cases + "' matches no case (see ddpm bench --help)");

    for (const auto& c : cases) {
      const auto config = model_preset(c.model, c.sample_shape);
      std::vector<int> counts = thread_counts;
      if (counts.empty()) counts = {threads_option() > 0 ? threads_option() : recommended_threads(config)};
      for (const int threads : counts) {
        const int in_force = configure_torch_threads(threads);
        double run_seconds = 0;
        const auto times = c.kind == "train" ? time_training(c, config, o.settings)
                                             : time_sampling(c, config, o.settings, &run_seconds);
        const auto forward = forward_flops(config).total();
        const auto per_image = c.kind == "train" ? 3 * forward : forward;
        const double steps_per_second = static_cast<double>(times.seconds.size()) / times.total();
        auto model = make_denoiser(config);
        nlohmann::ordered_json line;
        line["case"] = c.name();
        line["impl"] = "cpp";
        line["kind"] = c.kind;
        line["model"] = c.model;
        line["batch"] = c.batch;
        line["sample_shape"] = c.sample_shape;
        line["threads"] = in_force;
        line["precision"] = o.settings.precision;
        line["device"] = device.str();
        line["torch"] = torch_version();
        line["allocator"] = allocator_name();
        line["parameters"] = parameter_count(*model);
        line["forward_flops_per_image"] = forward;
        line["flops_per_image"] = per_image;
        line["flops_note"] = c.kind == "train" ? "3 x forward (backward ~ 2 x forward); conv, linear, attention matmuls"
                                               : "forward; conv, linear, attention matmuls";
        line["steps"] = times.seconds.size();
        line["seconds"] = times.total();
        line["steps_per_second"] = steps_per_second;
        line["images_per_second"] = steps_per_second * static_cast<double>(c.batch);
        line["step_ms_median"] = 1e3 * times.median();
        line["step_ms_min"] = 1e3 * times.min();
        line["cpu_ms_per_step"] = 1e3 * times.cpu_seconds / static_cast<double>(times.seconds.size());
        const double gflops = steps_per_second * static_cast<double>(c.batch * per_image) * 1e-9;
        line["gflops_per_second"] = gflops;
        if (o.peak_tflops > 0) line["peak_fraction"] = gflops * 1e-3 / o.peak_tflops;
        if (run_seconds > 0) line["run_seconds"] = run_seconds;
        std::cout << line.dump() << std::endl;
      }
    }
  });
}

}  // namespace ddpm::cli
