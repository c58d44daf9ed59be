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
  const TestData data = test_data_for(checkpoint, options.spec_for(checkpoint), options.data);
  result.data_spec = data.spec;
  result.images = data.images;
  const torch::Tensor& x = data.x;
  auto generator = make_generator(options.seed);
  result.examples = std::min(options.examples, x.size(0));
  const auto chosen = torch::randperm(x.size(0), generator, torch::kLong).narrow(0, 0, result.examples);

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
