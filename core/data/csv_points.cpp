#include "core/data/csv_points.h"

#include "core/data/class_labels.h"
#include "core/io/atomic_file.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace ddpm {

namespace {

std::string where(const std::string& source, int line_number) {
  return source + ":" + std::to_string(line_number) + ": ";
}

// A class label: a whole number 0..kMaxClasses − 1, written with digits only.
std::int64_t parse_label(const std::string& field, const std::string& at) {
  const bool digits = !field.empty() && field.size() <= 6 &&
                      field.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    double value = 0.0;
    const bool number = parse_double(field, value);
    if (number && value == std::floor(value) && value < 0)
      throw FormatError(at + "label " + field + " is negative; labels are class numbers 0.." + std::to_string(kMaxClasses - 1));
    throw FormatError(at + "label '" + field + "' is not an integer (the third column holds class numbers 0.." +
                std::to_string(kMaxClasses - 1) + ")");
  }
  const auto label = std::stoll(field);
  if (label >= kMaxClasses)
    throw FormatError(at + "label " + field + " is too large; labels are class numbers 0.." + std::to_string(kMaxClasses - 1));
  return label;
}

void check_coordinate(double v, const std::string& at) {
  if (!std::isfinite(v)) throw FormatError(at + "values must be finite");
  // The model works in float32, and within this range the standardisation's mean and
  // variance (in double) cannot overflow: a 1e300 typo is named here, not discovered
  // as an unreadable checkpoint after training.
  if (std::fabs(v) > kMaxPointMagnitude) {
    char value[32];
    std::snprintf(value, sizeof value, "%g", v);
    throw FormatError(at + value + " is too large: point coordinates must lie within ±3.4e38 (float32)");
  }
}

}  // namespace

CsvPoints parse_labelled_csv_points(const std::string& text, const std::string& source) {
  std::vector<double> values;
  std::vector<std::int64_t> labels;
  std::size_t columns = 0;  // 2 or 3, fixed by the first line (header or data)
  std::istringstream lines(text);
  std::string line;
  for (int line_number = 1; std::getline(lines, line); ++line_number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    for (char& c : line)
      if (c == ',' || c == ';' || c == '\t' || c == '\r') c = ' ';
    std::istringstream fields(line);
    std::vector<std::string> row;
    for (std::string field; fields >> field;) row.push_back(field);
    if (row.empty()) continue;
    const std::string at = where(source, line_number);
    const bool first = columns == 0;
    double x = 0.0, y = 0.0;
    const bool numeric = row.size() >= 2 && parse_double(row[0], x) && parse_double(row[1], y);
    if (first && (row.size() == 2 || row.size() == 3)) {
      columns = row.size();
      if (!numeric) continue;  // header line
    }
    if (row.size() != columns || !numeric) {
      const std::string expected = columns == 3 ? "two numbers and a label" : "two numbers";
      throw FormatError(at + "expected " + expected + ", got '" + line.substr(line.find_first_not_of(' ')) + "'");
    }
    check_coordinate(x, at);
    check_coordinate(y, at);
    values.push_back(x);
    values.push_back(y);
    if (columns == 3) labels.push_back(parse_label(row[2], at));
  }
  if (values.empty()) throw FormatError(source + ": no points found (expected two numeric columns x,y)");
  const auto n = static_cast<std::int64_t>(values.size() / 2);
  CsvPoints result;
  result.points = torch::from_blob(values.data(), {n, 2}, torch::kFloat64).clone();
  if (!labels.empty()) result.labels = torch::from_blob(labels.data(), {n}, torch::kLong).clone();
  return result;
}

CsvPoints read_labelled_csv_points(const std::string& path) {
  return parse_labelled_csv_points(read_text_file(path, "point file"), path);
}

torch::Tensor parse_csv_points(const std::string& text, const std::string& source) {
  return parse_labelled_csv_points(text, source).points;
}

torch::Tensor read_csv_points(const std::string& path) {
  return read_labelled_csv_points(path).points;
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
