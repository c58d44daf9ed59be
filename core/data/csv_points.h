#pragma once

#include <torch/torch.h>

#include <limits>
#include <string>

namespace ddpm {

/// Largest |coordinate| a points file may hold: float32's range, which the model works
/// in; within it the standardisation (in double) cannot overflow.
constexpr double kMaxPointMagnitude = std::numeric_limits<float>::max();

/// Reads 2D points: two numeric columns separated by a comma (or ';', tab, spaces),
/// an optional header line, blank lines and '#' comments ignored. Returns float64
/// [N, 2]. Throws ddpm::Error "FILE:LINE: …" for the first malformed line (not two
/// numbers, not finite, or beyond ±kMaxPointMagnitude), or when the file holds no points.
torch::Tensor read_csv_points(const std::string& path);
/// Same rules on text in memory; `source` names it in messages.
torch::Tensor parse_csv_points(const std::string& text, const std::string& source);

/// Writes points [N, 2] as CSV with the header `x,y`, 9 significant digits, atomically.
void write_csv_points(const std::string& path, const torch::Tensor& points);

}  // namespace ddpm
