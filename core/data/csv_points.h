#pragma once

#include <torch/torch.h>

#include <limits>
#include <string>

namespace ddpm {

/// Largest |coordinate| a points file may hold: float32's range, which the model works
/// in; within it the standardisation (in double) cannot overflow.
constexpr double kMaxPointMagnitude = std::numeric_limits<float>::max();

/// Points read from a CSV file, with their classes when the file has a label column.
struct CsvPoints {
  torch::Tensor points;  ///< float64 [N, 2]
  torch::Tensor labels;  ///< int64 [N] in 0..kMaxClasses − 1, or undefined (two columns)
};

/// Reads 2D points: two numeric columns x, y separated by a comma (or ';', tab, spaces),
/// optionally a third column `label` holding each point's class as an integer from 0 to
/// kMaxClasses − 1; an optional header line, blank lines and '#' comments ignored. Every
/// line has as many columns as the first. Throws ddpm::Error "FILE:LINE: …" for the
/// first malformed line (not two numbers, not finite, beyond ±kMaxPointMagnitude, a
/// missing or extra column, a label that is not such an integer), or when the file holds
/// no points.
CsvPoints read_labelled_csv_points(const std::string& path);
/// Same rules on text in memory; `source` names it in messages.
CsvPoints parse_labelled_csv_points(const std::string& text, const std::string& source);
/// The points alone (any label column is checked, then dropped).
torch::Tensor read_csv_points(const std::string& path);
torch::Tensor parse_csv_points(const std::string& text, const std::string& source);

/// Writes points [N, 2] as CSV with the header `x,y`, 9 significant digits, atomically.
void write_csv_points(const std::string& path, const torch::Tensor& points);

}  // namespace ddpm
