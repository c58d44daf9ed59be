#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/jobs/test_data.h"
#include "core/sampling/reverse_variance.h"
#include "core/sampling/variational_bound.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace ddpm {

/// What one evaluation of the bound on data takes.
struct BoundJobOptions {
  std::string data_spec;       ///< the data SPEC whose test split is scored; empty: the checkpoint's
  DataOptions data;            ///< how to load it (the split is always the test split)
  std::int64_t examples = 256; ///< test samples scored (at most the split's size), chosen with `seed`
  std::uint64_t seed = 0;      ///< the examples (randperm), then x_t and the strata (BoundOptions::seed)
  ReverseVariance variance = ReverseVariance::Beta;  ///< σ_t² of p_θ
  std::int64_t terms = 0;      ///< 0: all T terms; else L_0 plus a stratified sample (BoundOptions::terms)
  std::int64_t batch_size = 256;  ///< samples per network call
  std::string device = "auto";  ///< where the network runs: "auto", "cpu" or "cuda" (resolved after loading the data)

  /// The SPEC scored for `checkpoint`: data_spec, or the checkpoint's when empty.
  std::string spec_for(const CheckpointData& checkpoint) const;
};

/// The bound and what the callers report beside it.
struct BoundJobResult {
  VariationalBound bound;       ///< status Cancelled when stopped (numbers NaN)
  std::int64_t examples = 0;    ///< test samples actually scored
  std::string data_spec;        ///< the SPEC scored
  bool images = false;          ///< images (discretised decoder, bits/dim ≥ 0) or 2D points (differential)
  std::int64_t steps = 0;       ///< T of the checkpoint's schedule
};

/// The job "the variational bound on data" (Ho et al. 2020, eq. 5 with L_0 of eq. 13):
/// loads the test split of the data, checks its shape against the checkpoint, moves it
/// into the checkpoint's normalisation (the bound is taken where the model was trained),
/// chooses `examples` of them with a randperm seeded with `seed`, and runs
/// variational_bound with the decoder that suits the data (discretised for images, with
/// x̂_0 clipped; continuous for points). `ddpm nll` and the GUI's Evaluate view run it.
/// Throws DataMismatchError for data of another shape, ddpm::Error for data that do not
/// load or bad options; a set `cancel` returns status Cancelled.
BoundJobResult bound_on_data(const CheckpointData& checkpoint, const BoundJobOptions& options,
                             const BoundCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ddpm
