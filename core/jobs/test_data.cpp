#include "core/jobs/test_data.h"

#include "core/sampling/model_checks.h"

namespace ddpm {

TestData data_for(const CheckpointData& checkpoint, const std::string& spec, const DataOptions& loading) {
  TestData result;
  result.spec = spec.empty() ? checkpoint.data_spec : spec;
  const Dataset data = load_dataset(result.spec, loading);
  if (data.sample_shape() != checkpoint.sample_shape)
    throw DataMismatchError("the data " + result.spec + " have samples of shape " + shape_text(data.sample_shape()) +
                                " but the model makes " + shape_text(checkpoint.sample_shape) +
                                ": choose data like those it was trained on (" + checkpoint.data_spec + ")",
                            result.spec);
  result.images = data.kind == DataKind::Images;
  result.x =
      checkpoint.normalisation.normalise(data.normalisation.denormalise(data.x.to(torch::kFloat64))).to(torch::kFloat32);
  result.labels = data.labels;
  result.class_names = data.class_names;
  return result;
}

TestData test_data_for(const CheckpointData& checkpoint, const std::string& spec, DataOptions loading) {
  loading.split = Split::Test;
  return data_for(checkpoint, spec, loading);
}

}  // namespace ddpm
