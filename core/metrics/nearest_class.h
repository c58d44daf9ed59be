#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// The class of each sample by its k nearest labelled points (Euclidean, a majority vote;
/// ties go to the lowest class): a classifier for 2D sets, which need no network. `samples`
/// [N, D] and `points` [M, D] in the same coordinates, `labels` int64 [M]; returns int64 [N].
/// Throws ddpm::Error for mismatched shapes or k outside 1..M.
torch::Tensor nearest_neighbour_classes(const torch::Tensor& samples, const torch::Tensor& points,
                                        const torch::Tensor& labels, std::int64_t k = 5);

}  // namespace ddpm
