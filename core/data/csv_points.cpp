#include "core/data/csv_points.h"

#include "core/io/atomic_file.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace ddpm {

torch::Tensor parse_csv_points(const std::string& text, const std::string& source) {
  std::vector<double> values;
  std::istringstream lines(text);
  std::string line;
  bool seen_content = false;
  for (int line_number = 1; std::getline(lines, line); ++line_number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    for (char& c : line)
      if (c == ',' || c == ';' || c == '\t' || c == '\r') c = ' ';
    std::istringstream fields(line);
    std::vector<std::string> row;
    for (std::string field; fields >> field;) row.push_back(field);
    if (row.empty()) continue;
    const bool first = !seen_content;
    seen_content = true;
    double x = 0.0, y = 0.0;
    const bool numeric = row.size() == 2 && parse_double(row[0], x) && parse_double(row[1], y);
    if (!numeric) {
      if (first && row.size() == 2) continue;  // header line
      throw Error(source + ":" + std::to_string(line_number) + ": expected two numbers, got '" +
                  line.substr(line.find_first_not_of(' ')) + "'");
    }
    if (!std::isfinite(x) || !std::isfinite(y))
      throw Error(source + ":" + std::to_string(line_number) + ": values must be finite");
    // The model works in float32, and within this range the standardisation's mean and
    // variance (in double) cannot overflow: a 1e300 typo is named here, not discovered
    // as an unreadable checkpoint after training.
    for (const double v : {x, y})
      if (std::fabs(v) > kMaxPointMagnitude) {
        char value[32];
        std::snprintf(value, sizeof value, "%g", v);
        throw Error(source + ":" + std::to_string(line_number) + ": " + value +
                    " is too large: point coordinates must lie within ±3.4e38 (float32)");
      }
    values.push_back(x);
    values.push_back(y);
  }
  if (values.empty()) throw Error(source + ": no points found (expected two numeric columns x,y)");
  const auto n = static_cast<std::int64_t>(values.size() / 2);
  return torch::from_blob(values.data(), {n, 2}, torch::kFloat64).clone();
}

torch::Tensor read_csv_points(const std::string& path) {
  return parse_csv_points(read_text_file(path, "point file"), path);
}

void write_csv_points(const std::string& path, const torch::Tensor& points) {
  if (points.dim() != 2 || points.size(1) != 2) throw Error("points to write must be shaped [N, 2]");
  auto values = points.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  auto p = values.accessor<double, 2>();
  std::string csv = "x,y\n";
  char row[64];
  for (std::int64_t i = 0; i < values.size(0); ++i) {
    std::snprintf(row, sizeof row, "%.9g,%.9g\n", p[i][0], p[i][1]);
    csv += row;
  }
  write_file_atomically(path, csv);
}

}  // namespace ddpm
