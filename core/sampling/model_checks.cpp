#include "core/sampling/model_checks.h"

#include "core/util/error.h"


namespace ddpm {

bool same_device(const torch::Device& a, const torch::Device& b) {
  return a.type() == b.type() && (!a.has_index() || !b.has_index() || a.index() == b.index());
}

void check_model_fits(const Denoiser& model, at::IntArrayRef sample_shape, const torch::Device& device,
                      const std::string& task) {
  if (!model) throw Error(task + " needs a model, but none was given");
  const auto& built_for = model->config().sample_shape;
  if (!built_for.empty() && at::IntArrayRef(built_for) != sample_shape)
    throw Error("the model was built for samples of shape " + shape_text(built_for) + ", not " +
                shape_text(sample_shape));
  const auto parameters = model->parameters();
  if (!parameters.empty() && !same_device(parameters.front().device(), device))
    throw Error("the model's weights are on " + parameters.front().device().str() + " but " + task +
                " was asked to run on " + device.str());
}

}  // namespace ddpm
