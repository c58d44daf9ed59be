#include "core/schedule/betas_file.h"

#include "core/io/text_file.h"
#include "core/util/error.h"

#include <cmath>
#include <sstream>

namespace ddpm {

std::vector<double> parse_betas(const std::string& text, const std::string& source) {
  std::vector<double> betas;
  std::istringstream lines(text);
  std::string line;
  for (int line_number = 1; std::getline(lines, line); ++line_number) {
    const auto where = [&] { return source + ":" + std::to_string(line_number) + ": "; };
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    for (char& c : line)
      if (c == ',' || c == ';' || c == '\t' || c == '\r') c = ' ';
    std::istringstream fields(line);
    std::string field;
    while (fields >> field) {
      double value = 0.0;
      if (!parse_double(field, value)) throw Error(where() + "'" + field + "' is not a number");
      if (!std::isfinite(value) || value <= 0.0 || value >= 1.0)
        throw Error(where() + "beta " + field + " is outside (0, 1)");
      if (static_cast<std::int64_t>(betas.size()) == kMaxScheduleSteps)
        throw Error(where() + "more than " + std::to_string(kMaxScheduleSteps) +
                    " beta values; T is at most " + std::to_string(kMaxScheduleSteps));
      betas.push_back(value);
    }
  }
  if (betas.empty()) throw Error(source + ": no beta values found (expected one number per line)");
  return betas;
}

std::vector<double> read_betas_file(const std::string& path) {
  return parse_betas(read_text_file(path, "beta schedule", kMaxBetasFileBytes), path);
}

}  // namespace ddpm
