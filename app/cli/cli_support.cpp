#include "app/cli/cli_support.h"

#include "core/runtime/threads.h"
#include "core/io/text_file.h"
#include "core/schedule/betas_file.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <iostream>

namespace ddpm::cli {

void ScheduleOptions::add_to(CLI::App& command, const std::string& steps_flag) {
  command_ = &command;
  steps_flag_ = steps_flag;
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
    const std::string text = read_text_file(betas_file, "beta schedule", kMaxBetasFileBytes);  // exit 1
    try {
      spec.custom_betas = parse_betas(text, betas_file);
    } catch (const Error& e) {
      throw UsageError(e.what());  // names the file and line
    }
    spec.custom_source = betas_file;
    check_flags_beside_betas_file(spec.custom_betas.size());
  }
  return spec;
}

void ScheduleOptions::check_flags_beside_betas_file(std::size_t betas) const {
  if (!command_) return;
  const auto given = [&](const std::string& flag) { return command_->count(flag) > 0; };
  const std::string values = std::to_string(betas) + " values of --betas-file " + betas_file;
  if (given("--kind") && kind != "custom")
    throw UsageError("--kind " + kind + " does not go with --betas-file: a β file is a custom schedule");
  if (given(steps_flag_) && steps != static_cast<std::int64_t>(betas))
    throw UsageError(steps_flag_ + " " + std::to_string(steps) + " does not match the " + values +
                     " (T is the number of β in the file)");
  for (const char* flag : {"--beta-start", "--beta-end", "--cosine-s"})
    if (given(flag)) throw UsageError(std::string(flag) + " does not apply to the " + values);
}

NoiseSchedule ScheduleOptions::schedule() const {
  const ScheduleSpec parsed = spec();
  try {
    return NoiseSchedule(parsed);
  } catch (const Error& e) {
    const bool named = parsed.kind != ScheduleKind::Custom || std::string(e.what()).find(betas_file) != std::string::npos;
    throw UsageError(named ? std::string(e.what()) : betas_file + ": " + e.what());
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
  command.add_option("--limit", limit, "Use at most this many samples (0: all)")->check(non_negative_number());
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
  try {
    return load_dataset(data_spec_argument(text), options(split, seed));
  } catch (const FormatError& e) {
    throw UsageError(e.what());  // a malformed line of a points file (names the file and line), like a bad β file
  }
}

int& threads_option() {
  static int threads = 0;
  return threads;
}

void use_threads_for(const ModelConfig& model, int processes_here) {
  configure_torch_threads(threads_option() > 0 ? threads_option()
                                               : std::max(1, recommended_threads(model) / std::max(1, processes_here)));
}

void print_warnings(const NoiseSchedule& schedule) {
  for (const auto& warning : schedule.warnings()) std::cerr << "ddpm: warning: " << warning << '\n';
}

namespace {

CLI::Validator number_check(const std::string& name, bool zero_allowed) {
  return CLI::Validator(
      [name, zero_allowed](std::string& text) -> std::string {
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        const bool ok = used == text.size() && std::isfinite(value) && (zero_allowed ? value >= 0 : value > 0);
        return ok ? std::string() : "must be " + name + ", got " + text;
      },
      zero_allowed ? "NUMBER >= 0" : "NUMBER > 0");
}

}  // namespace

CLI::Validator positive_number() {
  return number_check("a positive number", false);
}

CLI::Validator non_negative_number() {
  return number_check("0 or a positive number", true);
}

void check_outputs(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
  try {
    for (const NamedPath& output : outputs) check_output_is_not_input(output, inputs);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  for (std::size_t i = 0; i < outputs.size(); ++i)
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (same_file(outputs[i].path, outputs[j].path))
        throw UsageError(outputs[j].name + " '" + outputs[j].path + "' is also " + outputs[i].name +
                         ": each output needs a file of its own");
}

std::string data_file_of(const std::string& spec) {
  try {
    const DataSpec parsed = parse_data_spec(spec);
    return parsed.source == "csv" ? parsed.path : std::string();
  } catch (const Error&) {
    return {};  // the command reports a malformed SPEC itself
  }
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
