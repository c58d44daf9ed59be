#include "core/schedule/schedule_table.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace ddpm {

const std::vector<ScheduleColumn>& schedule_columns() {
  static const std::vector<ScheduleColumn> columns = {
      {"beta", &NoiseSchedule::beta},
      {"alpha", &NoiseSchedule::alpha},
      {"alpha_bar", &NoiseSchedule::alpha_bar},
      {"alpha_bar_prev", &NoiseSchedule::alpha_bar_prev},
      {"sqrt_alpha_bar", &NoiseSchedule::sqrt_alpha_bar},
      {"sqrt_one_minus_alpha_bar", &NoiseSchedule::sqrt_one_minus_alpha_bar},
      {"posterior_variance", &NoiseSchedule::posterior_variance},
      {"posterior_log_variance_clipped", &NoiseSchedule::posterior_log_variance_clipped},
      {"posterior_mean_coef1", &NoiseSchedule::posterior_mean_coef1},
      {"posterior_mean_coef2", &NoiseSchedule::posterior_mean_coef2},
      {"snr", &NoiseSchedule::snr},
  };
  return columns;
}

std::string schedule_to_csv(const NoiseSchedule& schedule) {
  std::string csv = "t";
  for (const auto& column : schedule_columns()) csv += std::string(",") + column.name;
  csv += '\n';
  char number[32];
  for (std::int64_t t = 0; t < schedule.steps(); ++t) {
    csv += std::to_string(t);
    for (const auto& column : schedule_columns()) {
      std::snprintf(number, sizeof number, ",%.17g", (schedule.*column.values)[static_cast<std::size_t>(t)]);
      csv += number;
    }
    csv += '\n';
  }
  return csv;
}

std::string schedule_to_json(const NoiseSchedule& schedule) {
  const ScheduleSpec& spec = schedule.spec();
  nlohmann::ordered_json json;
  json["kind"] = to_string(spec.kind);
  json["steps"] = schedule.steps();
  if (spec.kind == ScheduleKind::Cosine) json["cosine_s"] = spec.cosine_s;
  if (spec.kind != ScheduleKind::Cosine && spec.kind != ScheduleKind::Custom) {
    json["beta_start"] = spec.beta_start;
    json["beta_end"] = spec.beta_end;
  }
  if (spec.kind == ScheduleKind::Custom) json["source"] = spec.custom_source;
  json["warnings"] = schedule.warnings();
  std::vector<std::int64_t> t(static_cast<std::size_t>(schedule.steps()));
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<std::int64_t>(i);
  json["columns"]["t"] = t;
  for (const auto& column : schedule_columns()) json["columns"][column.name] = schedule.*column.values;
  return json.dump(1) + "\n";
}

}  // namespace ddpm
