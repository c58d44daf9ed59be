#pragma once

#include "ui/evaluate/evaluation_types.h"

#include <QString>

#include <vector>

namespace ddpm::ui {

/// Where the bits go: the share of the total L = L_T + Σ_t w_t L_t in the terms up to each t.
struct BoundShares {
  /// cumulative[i]: share of L in the evaluated terms up to evaluated[i] (stratified terms
  /// count with their stratum's weight), in [0, 1] when all terms are ≥ 0.
  std::vector<double> cumulative;
  double priorShare = 0;     ///< L_T / L
  double decoderShare = 0;   ///< L_0 / L
  int halfWithin = -1;       ///< smallest evaluated t whose cumulative share reaches ½ (−1: none)
  bool meaningful = true;    ///< false when a term is negative (2D: differential bits)
};

BoundShares boundShares(const BoundResult& result);

/// One or two sentences for the panel: the total, L_T and L_0, and where half the bits are.
QString boundSummaryText(const BoundResult& result);

}  // namespace ddpm::ui
