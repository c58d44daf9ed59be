#include "core/data/data_range.h"

#include "core/data/normalisation.h"
#include "core/util/error.h"

namespace ddpm {

DataRange DataRange::unit_interval() {
  return {{-1.0}, {1.0}};
}

DataRange DataRange::of_points(const torch::Tensor& points, double margin) {
  if (points.dim() != 2 || points.size(0) == 0) throw Error("a data range needs points shaped [N, D], N ≥ 1");
  const auto values = points.to(torch::kCPU, torch::kFloat64);
  const auto low = std::get<0>(values.min(0)), high = std::get<0>(values.max(0));
  DataRange range;
  for (std::int64_t i = 0; i < values.size(1); ++i) {
    const double lo = low[i].item<double>(), hi = high[i].item<double>(), widen = margin * (hi - lo);
    range.low.push_back(lo - widen);
    range.high.push_back(hi + widen);
  }
  return range;
}

torch::Tensor DataRange::clamp(const torch::Tensor& x) const {
  if (empty() || low.size() != high.size()) throw Error("the data range is not set up");
  return torch::max(torch::min(x, broadcast_per_channel(high, x, "the data range")),
                    broadcast_per_channel(low, x, "the data range"));
}

}  // namespace ddpm
