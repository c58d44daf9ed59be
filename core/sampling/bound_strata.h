#pragma once

#include <cstdint>
#include <vector>

namespace ddpm {

/// The code indices [begin, end) that one evaluated term of the variational bound stands for
/// in the sum over t; its weight in that sum is its size, end − begin.
struct BoundStratum {
  std::int64_t begin = 0;
  std::int64_t end = 0;

  /// end − begin, the term's weight.
  std::int64_t size() const { return end - begin; }
};

/// How the bound's sum over the T code indices is split when `terms` of them are evaluated
/// (BoundOptions::terms). 0 or T: every index alone, [t, t + 1), the exact sum. 2..T−1 (a
/// stratified estimate): L_0 alone, [0, 1), then terms − 1 equal strata of 1..T−1,
/// [1 + k (T − 1)/(terms − 1), 1 + (k + 1)(T − 1)/(terms − 1)) in integers, k = 0 … terms − 2;
/// one random t from each, weighted by its size, gives an unbiased estimate of the sum.
/// The strata are in ascending order and cover 0..T−1 exactly once. Other counts are
/// variational_bound's to refuse; here they give the exact split.
std::vector<BoundStratum> bound_strata(std::int64_t T, std::int64_t terms);

/// The weight of each evaluated term in the sum, in the order of bound_strata: the sizes of
/// its strata (all 1 for the exact sum). They add up to T: 1 for L_0 and T − 1 over the strata.
std::vector<double> stratum_weights(std::int64_t T, std::int64_t terms);

}  // namespace ddpm
