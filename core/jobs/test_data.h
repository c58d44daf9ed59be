#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <string>
#include <vector>

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

/// A split of a data set, ready for a checkpoint's model.
struct TestData {
  torch::Tensor x;       ///< [N, sample_shape…] float32, in the checkpoint's normalised space (where it was trained)
  bool images = false;   ///< images (values in [−1, 1]) or 2D points
  std::string spec;      ///< the SPEC loaded
  torch::Tensor labels;  ///< int64 [N], or undefined when the data have none
  std::vector<std::string> class_names;  ///< one per class, when labelled
};

/// Loads the split loading.split of `spec` (the checkpoint's own data when empty), checks
/// its sample shape against the checkpoint's and moves it into the checkpoint's
/// normalisation, keeping its labels. Throws DataMismatchError for another shape,
/// ddpm::Error for data that do not load.
TestData data_for(const CheckpointData& checkpoint, const std::string& spec, const DataOptions& loading);

/// data_for on the test split.
TestData test_data_for(const CheckpointData& checkpoint, const std::string& spec, DataOptions loading = {});

}  // namespace ddpm
