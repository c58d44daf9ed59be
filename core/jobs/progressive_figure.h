#pragma once

#include "core/sampling/reverse_process.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ddpm {

/// Fig. 6 of Ho et al. (2020), progressive generation: while one reverse chain runs, the
/// prediction x̂_0 (eq. 15) it makes from x_t at the levels t = T, T − T/s, …, T/s (paper
/// t; s = `snapshots`), then the sample x_0 itself: s + 1 columns per sample, from noise's
/// blurry mean on the left to the image on the right. Feed it every step of the run
/// (observe); with a sampler that skips timesteps (DDIM, DPM-Solver++, …) a column takes
/// the first step whose x_t is at or below its level, so a coarse run may repeat a column.
class ProgressiveFigure {
 public:
  /// For a schedule of T steps. Throws ddpm::Error unless 1 ≤ snapshots ≤ T.
  ProgressiveFigure(std::int64_t T, std::int64_t snapshots);

  /// Records x̂_0 when the step `process` just took reached the next level(s).
  void observe(const ReverseProcess& process);

  /// The levels of the columns, paper t: T, T − T/s, …, then 0 for x_0.
  const std::vector<std::int64_t>& levels() const { return levels_; }
  /// The figure as images [n · (s + 1), sample_shape…], sample by sample (one grid row
  /// each, columns in levels() order), from the finished `process`. Throws ddpm::Error
  /// when the run has not finished or skipped levels it was not shown.
  torch::Tensor images(const ReverseProcess& process) const;

 private:
  std::vector<std::int64_t> levels_;
  std::vector<torch::Tensor> columns_;
};

}  // namespace ddpm
