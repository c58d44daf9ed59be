#pragma once

#include "core/schedule/noise_schedule.h"

#include <cstddef>
#include <string>
#include <vector>

namespace ddpm {

/// Reads a custom β schedule: one number per line (commas or whitespace may also
/// separate numbers on a line), blank lines and '#' comments ignored.
/// Throws ddpm::Error naming the file and line of the first bad value; range checks
/// (0 < β < 1) name the line too.
/// At most kMaxScheduleSteps values are read (the file and line of the first one too many
/// are named), and a file over kMaxBetasFileBytes is refused unread.
std::vector<double> read_betas_file(const std::string& path);

/// Room for kMaxScheduleSteps values with comments: 64 bytes a line.
constexpr std::size_t kMaxBetasFileBytes = std::size_t(64) * kMaxScheduleSteps;

/// Same rules on text already in memory; `source` names it in messages.
std::vector<double> parse_betas(const std::string& text, const std::string& source);

}  // namespace ddpm
