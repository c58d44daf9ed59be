#include "core/sampling/bound_strata.h"

namespace ddpm {

std::vector<BoundStratum> bound_strata(std::int64_t T, std::int64_t terms) {
  std::vector<BoundStratum> strata;
  if (terms <= 0 || terms >= T) {
    for (std::int64_t t = 0; t < T; ++t) strata.push_back({t, t + 1});
    return strata;
  }
  strata.push_back({0, 1});  // L_0, usually the largest single term, is always exact
  const std::int64_t count = terms - 1, span = T - 1;
  for (std::int64_t k = 0; k < count; ++k) strata.push_back({1 + k * span / count, 1 + (k + 1) * span / count});
  return strata;
}

std::vector<double> stratum_weights(std::int64_t T, std::int64_t terms) {
  std::vector<double> weights;
  for (const BoundStratum& stratum : bound_strata(T, terms)) weights.push_back(static_cast<double>(stratum.size()));
  return weights;
}

}  // namespace ddpm
