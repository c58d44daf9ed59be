#include "core/jobs/progressive_figure.h"

#include "core/util/error.h"

namespace ddpm {

ProgressiveFigure::ProgressiveFigure(std::int64_t T, std::int64_t snapshots) {
  if (snapshots < 1 || snapshots > T)
    throw Error("progressive generation takes 1 to T = " + std::to_string(T) + " snapshots, not " +
                std::to_string(snapshots));
  for (std::int64_t j = 0; j < snapshots; ++j) levels_.push_back(T - j * T / snapshots);
  levels_.push_back(0);
}

void ProgressiveFigure::observe(const ReverseProcess& process) {
  // The step just taken evaluated ε_θ on x at code index t(), the paper's x_{t()+1}.
  const std::int64_t paper_t = process.t() + 1;
  while (columns_.size() + 1 < levels_.size() && paper_t <= levels_[columns_.size()])
    columns_.push_back(process.predicted_x0().detach().to(torch::kCPU, torch::kFloat32).clone());
}

torch::Tensor ProgressiveFigure::images(const ReverseProcess& process) const {
  if (!process.done()) throw Error("the progressive-generation run has not finished");
  if (columns_.size() + 1 != levels_.size())
    throw Error("the progressive-generation run was not shown every step (" + std::to_string(columns_.size()) + " of " +
                std::to_string(levels_.size() - 1) + " snapshots)");
  std::vector<torch::Tensor> columns = columns_;
  columns.push_back(process.sample().detach().to(torch::kCPU, torch::kFloat32));
  const auto grid = torch::stack(columns, 1);  // [n, s + 1, …]
  std::vector<std::int64_t> shape = {grid.size(0) * grid.size(1)};
  for (std::int64_t d = 2; d < grid.dim(); ++d) shape.push_back(grid.size(d));
  return grid.reshape(shape);
}

}  // namespace ddpm
