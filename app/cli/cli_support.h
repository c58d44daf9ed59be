#pragma once

#include "core/data/dataset.h"
#include "core/io/output_guard.h"
#include "core/models/denoiser.h"
#include "core/schedule/noise_schedule.h"

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace ddpm::cli {

/// A mistake in the command line itself: reported as `ddpm: error: …`, exit 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

/// The schedule options shared by `schedule`, `noise` and `train`.
struct ScheduleOptions {
  std::string kind = "linear";
  std::int64_t steps = 1000;
  double beta_start = 1e-4;
  double beta_end = 0.02;
  double cosine_s = 0.008;
  std::string betas_file;

  /// Adds --kind, T (as `steps_flag`: `train` uses --timesteps because its --steps
  /// counts training steps), --beta-start, --beta-end, --cosine-s, --betas-file.
  void add_to(CLI::App& command, const std::string& steps_flag = "--steps");
  /// The spec these options describe; reads --betas-file. A β file that cannot be read
  /// is a runtime error (ddpm::Error, exit 1); bad values in it, or --kind / T /
  /// --beta-start / --beta-end / --cosine-s given beside it and not agreeing with it,
  /// are usage errors (exit 2).
  ScheduleSpec spec() const;
  /// The validated schedule; bad option values, and β files whose values do not make a
  /// schedule, are usage errors (exit 2) naming the option or the file.
  NoiseSchedule schedule() const;

 private:
  void check_flags_beside_betas_file(std::size_t betas) const;

  const CLI::App* command_ = nullptr;  // to tell flags given from defaults
  std::string steps_flag_ = "--steps";
};

/// A Ctrl-C stopped the command after it saved its work: exit code 130.
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted"; }
};

/// The data options shared by `noise`, `train` and `nll`.
struct DataArguments {
  std::string spec;
  std::string data_dir;
  std::int64_t image_size = 32;
  std::int64_t image_channels = 3;
  std::int64_t limit = 0;

  /// --data (required or not), --data-dir, --image-size, --channels, --limit.
  void add_to(CLI::App& command, bool required);
  /// These options for `split` (and `seed`, for generated sets) as core takes them.
  DataOptions options(Split split = Split::Train, std::uint64_t seed = 0) const;
  /// Loads `spec` (usually this->spec) with these options and `split`. A malformed line
  /// of a points file is a UsageError (exit 2).
  Dataset load(const std::string& spec, Split split = Split::Train, std::uint64_t seed = 0) const;
};

/// Parses a data SPEC; a malformed SPEC is a usage error.
DataSpec data_spec_argument(const std::string& text);

/// The global --threads option (0: let each command choose).
int& threads_option();
/// Sets torch's threads for work on `model`: --threads when given, else what suits it,
/// shared among `processes_here` processes on this machine (a data-parallel run's).
void use_threads_for(const ModelConfig& model, int processes_here = 1);

/// Prints each schedule warning as `ddpm: warning: …` on stderr.
void print_warnings(const NoiseSchedule& schedule);

/// CLI11 checks with a short message (CLI11's own print the whole double range): a
/// finite number > 0, or ≥ 0.
CLI::Validator positive_number();
CLI::Validator non_negative_number();

/// Lower-case extension of a path, without the dot ("png", "csv"; "" if none).
std::string extension_of(const std::string& path);

/// No output of a command may replace a file it reads (its checkpoint, data, β file), nor
/// another of its outputs: a usage error (exit 2) naming both flags and the file. Empty
/// paths are skipped. `ddpm train --resume X --out X` is allowed: the run continues X.
void check_outputs(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs);

/// The file a data SPEC reads (csv:FILE), for check_outputs; empty for other sources.
std::string data_file_of(const std::string& spec);

}  // namespace ddpm::cli
