#pragma once

#include "core/schedule/noise_schedule.h"

#include <string>
#include <vector>

namespace ddpm {

/// One named per-step column of a NoiseSchedule, in the CLI's column order.
struct ScheduleColumn {
  const char* name;
  const std::vector<double> NoiseSchedule::*values;
};

/// The columns `ddpm schedule` writes after `t`, in the order DESIGN.md fixes.
const std::vector<ScheduleColumn>& schedule_columns();

/// CSV: header `t,beta,alpha,…,snr`, one row per code index t, 17 significant digits.
std::string schedule_to_csv(const NoiseSchedule& schedule);

/// JSON: {"kind", "steps", parameters, "warnings", "columns": {"t": [...], "beta": [...], ...}}.
std::string schedule_to_json(const NoiseSchedule& schedule);

}  // namespace ddpm
