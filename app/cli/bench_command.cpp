// ddpm bench: timings of the real training step (Trainer) and reverse step
// (ReverseProcess) for the CPU presets, one JSON line per case. bench/python/ builds the
// same models and steps in PyTorch and prints the same lines; bench/compare.sh runs both.
// The timing itself is core's (jobs/step_benchmark.h); this file selects and prints.
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/jobs/step_benchmark.h"
#include "core/models/denoiser.h"
#include "core/models/flop_count.h"
#include "core/runtime/blas_guard.h"
#include "core/runtime/device.h"
#include "core/runtime/precision.h"
#include "core/runtime/threads.h"

#include <dlfcn.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ddpm::cli {
namespace {

/// A GPU-sized case runs with a CUDA device, or on the CPU only when a filter names its model.
bool runs_here(const BenchCase& c, const std::vector<std::string>& filters, bool cuda) {
  if (!gpu_sized(c) || cuda) return true;
  for (const auto& f : filters)
    if (f.find(c.model) != std::string::npos) return true;
  return false;
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

struct BenchArguments {
  std::string cases;
  std::string threads;
  BenchSettings settings;
  double peak_tflops = 0;
};

// --threads: comma-separated counts in 1..1024; anything else is a usage error.
std::vector<int> thread_counts_argument(const std::string& text) {
  std::vector<int> thread_counts;
  for (const auto& item : split_list(text)) {
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
  return thread_counts;
}

// The JSON line of one timed case, run with `threads` torch threads.
nlohmann::ordered_json bench_line(const BenchCase& c, const ModelConfig& config, const StepTimes& times, int threads,
                                  double run_seconds, const BenchArguments& o, const torch::Device& device) {
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
  line["threads"] = threads;
  line["precision"] = o.settings.precision;
  line["device"] = device.str();
  line["torch"] = torch_version();
  line["allocator"] = allocator_name();
  line["blas_serialised"] = blas_calls_serialised();
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
  return line;
}

// Runs the cases the flags select, one JSON line each.
void run_bench(const BenchArguments& o) {
  const auto device = resolve_device(o.settings.device);  // a bad --device fails before any work
  if (!(o.peak_tflops >= 0)) throw UsageError("--peak-tflops must be a positive rate");
  const std::vector<int> thread_counts = thread_counts_argument(o.threads);
  const auto filters = split_list(o.cases);
  std::vector<BenchCase> cases;
  for (const auto& c : bench_cases())
    if (selected(c, filters) && runs_here(c, filters, device.is_cuda())) cases.push_back(c);
  if (cases.empty()) throw UsageError("--case '" + o.cases + "' matches no case (see ddpm bench --help)");
  for (const auto& c : cases) {  // e.g. bf16 trains on CUDA only: refused before any case runs
    const auto use = c.kind == "train" ? PrecisionUse::Training : PrecisionUse::Sampling;
    const std::string problem = precision_problem(device, o.settings.precision, use, cpu_has_bf16());
    if (!problem.empty()) throw UsageError(c.name() + ": " + problem);
  }

  for (const auto& c : cases) {
    const auto config = model_preset(c.model, c.sample_shape);
    std::vector<int> counts = thread_counts;
    if (counts.empty()) counts = {threads_option() > 0 ? threads_option() : recommended_threads(config)};
    for (const int threads : counts) {
      const int in_force = configure_torch_threads(threads);
      double run_seconds = 0;
      const auto times = c.kind == "train" ? time_training(c, config, o.settings)
                                           : time_sampling(c, config, o.settings, &run_seconds);
      std::cout << bench_line(c, config, times, in_force, run_seconds, o, device).dump() << std::endl;
    }
  }
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchArguments>();
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
  command->add_option("--precision", options->settings.precision, "fp32 (TF32 on CUDA) or bf16 (autocast: on CUDA, and for sampling on a CPU with AVX512_BF16)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
  command->add_flag("--full-run", options->settings.limits.full_run,
                    "Sampling cases: also time one whole run of T steps (run_seconds)");
  command->add_option("--peak-tflops", options->peak_tflops,
                      "The device's peak rate for this precision, to report the fraction reached (e.g. 989 for an "
                      "H100 SXM in dense bf16)");

  command->callback([options] { run_bench(*options); });
}

}  // namespace ddpm::cli
