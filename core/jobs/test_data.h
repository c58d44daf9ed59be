#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// Thrown when data have samples of another shape than a checkpoint's model makes.
class DataMismatchError : public Error {
 public:
  DataMismatchError(const std::string& message, std::string spec) : Error(message), spec_(std::move(spec)) {}
  /// The SPEC that did not match.
  const std::string& spec() const { return spec_; }

 private:
  std::string spec_;
};

/// A test split, ready for a checkpoint's model.
struct TestData {
  torch::Tensor x;       ///< [N, sample_shape…] float32, in the checkpoint's normalised space (where it was trained)
  bool images = false;   ///< images (values in [−1, 1]) or 2D points
  std::string spec;      ///< the SPEC loaded
};

/// Loads the test split of `spec` (the checkpoint's own data when empty) with `loading`,
/// checks its sample shape against the checkpoint's and moves it into the checkpoint's
/// normalisation. Throws DataMismatchError for another shape, ddpm::Error for data that do
/// not load.
TestData test_data_for(const CheckpointData& checkpoint, const std::string& spec, DataOptions loading = {});

}  // namespace ddpm
