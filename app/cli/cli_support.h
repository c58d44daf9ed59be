#pragma once

#include "data/dataset.h"
#include "schedule/noise_schedule.h"

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

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

  void add_to(CLI::App& command);
  /// The spec these options describe; reads --betas-file. Throws ddpm::Error.
  ScheduleSpec spec() const;
  /// The validated schedule. Bad option values are usage errors (exit 2); a bad
  /// --betas-file is a runtime error (exit 1).
  NoiseSchedule schedule() const;
};

/// Parses a data SPEC; a malformed SPEC is a usage error.
DataSpec data_spec_argument(const std::string& text);

/// Prints each schedule warning as `ddpm: warning: …` on stderr.
void print_warnings(const NoiseSchedule& schedule);

/// Lower-case extension of a path, without the dot ("png", "csv"; "" if none).
std::string extension_of(const std::string& path);

}  // namespace ddpm::cli
