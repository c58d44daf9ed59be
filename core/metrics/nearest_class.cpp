#include "core/metrics/nearest_class.h"

#include "core/util/error.h"

#include <string>

namespace ddpm {

torch::Tensor nearest_neighbour_classes(const torch::Tensor& samples, const torch::Tensor& points,
                                        const torch::Tensor& labels, std::int64_t k) {
  if (samples.dim() != 2 || points.dim() != 2 || samples.size(1) != points.size(1))
    throw Error("nearest-neighbour classes need samples [N, D] and points [M, D] of one dimension D");
  if (labels.dim() != 1 || labels.size(0) != points.size(0))
    throw Error("nearest-neighbour classes need one label per point");
  if (k < 1 || k > points.size(0))
    throw Error("k must be between 1 and the number of labelled points (" + std::to_string(points.size(0)) + ")");
  const auto x = samples.to(torch::kFloat64);
  const auto reference = points.to(torch::kFloat64);
  const auto classes = labels.max().item<std::int64_t>() + 1;
  auto result = torch::empty({samples.size(0)}, torch::kLong);
  constexpr std::int64_t kChunk = 1024;  // bounds the distance matrix at 1024 × M
  for (std::int64_t start = 0; start < x.size(0); start += kChunk) {
    const auto rows = x.narrow(0, start, std::min(kChunk, x.size(0) - start));
    const auto nearest = std::get<1>(torch::cdist(rows, reference).topk(k, 1, /*largest=*/false));  // [rows, k]
    const auto votes = torch::one_hot(labels.index_select(0, nearest.flatten()).view(nearest.sizes()), classes).sum(1);
    result.narrow(0, start, rows.size(0)).copy_(votes.argmax(1));
  }
  return result;
}

}  // namespace ddpm
