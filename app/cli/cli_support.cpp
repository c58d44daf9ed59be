#include "app/cli/cli_support.h"

#include "core/runtime/threads.h"
#include "core/schedule/betas_file.h"
#include "core/util/error.h"

#include <algorithm>
#include <iostream>

namespace ddpm::cli {

void ScheduleOptions::add_to(CLI::App& command, const std::string& steps_flag) {
  command.add_option("--kind", kind, "Schedule family")
      ->check(CLI::IsMember({"linear", "cosine", "quadratic", "sigmoid", "custom"}))
      ->capture_default_str();
  command.add_option(steps_flag, steps, "Number of diffusion steps T")->capture_default_str();
  command.add_option("--beta-start", beta_start, "beta_1 (linear, quadratic, sigmoid)")->capture_default_str();
  command.add_option("--beta-end", beta_end, "beta_T (linear, quadratic, sigmoid)")->capture_default_str();
  command.add_option("--cosine-s", cosine_s, "Offset s of the cosine schedule")->capture_default_str();
  command.add_option("--betas-file", betas_file, "Custom betas, one per line (implies --kind custom)");
}

ScheduleSpec ScheduleOptions::spec() const {
  ScheduleSpec spec;
  spec.kind = betas_file.empty() ? schedule_kind_from_string(kind) : ScheduleKind::Custom;
  if (spec.kind == ScheduleKind::Custom && betas_file.empty())
    throw UsageError("--kind custom needs --betas-file FILE");
  spec.steps = steps;
  spec.beta_start = beta_start;
  spec.beta_end = beta_end;
  spec.cosine_s = cosine_s;
  if (!betas_file.empty()) {
    spec.custom_betas = read_betas_file(betas_file);
    spec.custom_source = betas_file;
  }
  return spec;
}

NoiseSchedule ScheduleOptions::schedule() const {
  const ScheduleSpec parsed = spec();
  try {
    return NoiseSchedule(parsed);
  } catch (const Error& e) {
    if (parsed.kind == ScheduleKind::Custom) throw;
    throw UsageError(e.what());
  }
}

DataSpec data_spec_argument(const std::string& text) {
  try {
    return parse_data_spec(text);
  } catch (const Error& e) {
    throw UsageError(std::string("--data: ") + e.what());
  }
}

void DataArguments::add_to(CLI::App& command, bool required) {
  auto* data = command.add_option("--data", spec,
                                  "fashion-mnist | swissroll | moons | gaussians8 | circles | csv:PATH | images:DIR");
  if (required) data->required();
  command.add_option("--data-dir", data_dir, "Folder with the Fashion-MNIST IDX files");
  command.add_option("--image-size", image_size, "images:DIR: resize to this many pixels square")
      ->check(CLI::Range(4, 256))
      ->capture_default_str();
  command.add_option("--channels", image_channels, "images:DIR: 1 (grayscale) or 3 (RGB)")
      ->check(CLI::IsMember({1, 3}))
      ->capture_default_str();
  command.add_option("--limit", limit, "Use at most this many samples (0: all)")->check(CLI::NonNegativeNumber);
}

DataOptions DataArguments::options(Split split, std::uint64_t seed) const {
  DataOptions options;
  options.split = split;
  options.data_dir = data_dir;
  options.image_size = image_size;
  options.image_channels = image_channels;
  options.limit = limit;
  options.seed = seed;
  return options;
}

Dataset DataArguments::load(const std::string& text, Split split, std::uint64_t seed) const {
  return load_dataset(data_spec_argument(text), options(split, seed));
}

int& threads_option() {
  static int threads = 0;
  return threads;
}

void use_threads_for(const ModelConfig& model) {
  configure_torch_threads(threads_option() > 0 ? threads_option() : recommended_threads(model));
}

void print_warnings(const NoiseSchedule& schedule) {
  for (const auto& warning : schedule.warnings()) std::cerr << "ddpm: warning: " << warning << '\n';
}

std::string extension_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

}  // namespace ddpm::cli
