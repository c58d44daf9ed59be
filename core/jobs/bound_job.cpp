#include "core/jobs/bound_job.h"

#include "core/jobs/checkpoint_model.h"
#include "core/runtime/device.h"
#include "core/runtime/random.h"
#include "core/sampling/model_checks.h"

#include <algorithm>

namespace ddpm {

std::string BoundJobOptions::spec_for(const CheckpointData& checkpoint) const {
  return data_spec.empty() ? checkpoint.data_spec : data_spec;
}

BoundJobResult bound_on_data(const CheckpointData& checkpoint, const BoundJobOptions& options,
                             const BoundCallback& progress, const std::atomic<bool>* cancel) {
  BoundJobResult result;
  result.data_spec = options.spec_for(checkpoint);
  DataOptions loading = options.data;
  loading.split = Split::Test;
  const Dataset data = load_dataset(result.data_spec, loading);
  if (data.sample_shape() != checkpoint.sample_shape)
    throw DataMismatchError("the data " + result.data_spec + " have samples of shape " +
                                shape_text(data.sample_shape()) + " but the model makes " +
                                shape_text(checkpoint.sample_shape) + ": choose data like those it was trained on (" +
                                checkpoint.data_spec + ")",
                            result.data_spec);
  result.images = data.kind == DataKind::Images;
  // The bound is taken where the model was trained: in the checkpoint's coordinates.
  const torch::Tensor x =
      checkpoint.normalisation.normalise(data.normalisation.denormalise(data.x.to(torch::kFloat64))).to(torch::kFloat32);
  auto generator = make_generator(options.seed);
  result.examples = std::min(options.examples, data.size());
  const auto chosen = torch::randperm(data.size(), generator, torch::kLong).narrow(0, 0, result.examples);

  BoundOptions bound;
  bound.variance = options.variance;
  bound.decoder = result.images ? DecoderKind::Discretized : DecoderKind::Continuous;
  bound.clip_x0 = result.images;
  bound.terms = options.terms;
  bound.batch_size = options.batch_size;
  bound.seed = options.seed;
  bound.device = resolve_device(options.device);
  const CheckpointModel opened = open_checkpoint_model(checkpoint, bound.device);
  result.steps = opened.steps();
  result.bound = variational_bound(opened.model, opened.diffusion, x.index_select(0, chosen), bound, progress, cancel);
  return result;
}

}  // namespace ddpm
