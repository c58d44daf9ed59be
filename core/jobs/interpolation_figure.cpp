#include "core/jobs/interpolation_figure.h"

#include "core/runtime/random.h"
#include "core/sampling/model_checks.h"
#include "core/util/error.h"

namespace ddpm {
namespace {

void check(const CheckpointModel& model, const torch::Tensor& x0, const torch::Tensor& x0_prime,
           const InterpolationOptions& options) {
  const std::int64_t T = model.steps();
  if (options.levels.empty()) throw Error("the interpolation needs at least one t");
  for (const std::int64_t t : options.levels)
    if (t < 0 || t > T)
      throw Error("the interpolation noises the images to t from 0 to T = " + std::to_string(T) + ", not " +
                  std::to_string(t));
  if (options.lambdas < 2) throw Error("the interpolation needs at least 2 values of lambda (0 and 1)");
  std::vector<std::int64_t> shape = {1};
  shape.insert(shape.end(), model.sample_shape.begin(), model.sample_shape.end());
  for (const auto* image : {&x0, &x0_prime})
    if (!image->defined() || image->sizes() != at::IntArrayRef(shape))
      throw Error("the interpolation takes two samples of shape " + shape_text(model.sample_shape) + ", one each");
}

}  // namespace

InterpolationFigure interpolation_figure(const CheckpointModel& model, const torch::Tensor& x0,
                                         const torch::Tensor& x0_prime, const InterpolationOptions& options,
                                         const StepCallback& on_step, const std::atomic<bool>* cancel) {
  check(model, x0, x0_prime, options);
  const auto a = x0.to(torch::kCPU, torch::kFloat32), b = x0_prime.to(torch::kCPU, torch::kFloat32);
  auto generator = make_generator(options.sampler.seed);
  const auto eps = randn_like(a, generator), eps_prime = randn_like(b, generator);  // shared by every row
  std::vector<std::int64_t> lambda_shape(static_cast<std::size_t>(a.dim()), 1);
  lambda_shape[0] = options.lambdas;
  const auto lambda = torch::linspace(0.0, 1.0, options.lambdas, torch::kFloat32).view(lambda_shape);

  std::vector<torch::Tensor> rows;
  for (std::size_t row = 0; row < options.levels.size(); ++row) {
    const std::int64_t t = options.levels[row];
    // x_t and x'_t at the paper's t (code index t − 1); at t = 0 the images themselves.
    const auto x_t = t == 0 ? a : model.diffusion.q_sample(a, t - 1, eps);
    const auto x_t_prime = t == 0 ? b : model.diffusion.q_sample(b, t - 1, eps_prime);
    torch::Tensor mixed = (1.0 - lambda) * x_t + lambda * x_t_prime;  // x̄_t
    if (t > 0) {
      SamplerOptions sampler = options.sampler;
      sampler.n = options.lambdas;
      sampler.shared_noise = true;
      ReverseProcess process = model.reverse_process(sampler);
      process.continue_from(mixed.to(sampler.device), t - 1, options.sampler.seed + 1 + row);
      if (run_to_end(process, on_step, cancel) == RunStatus::Cancelled) return {RunStatus::Cancelled, {}};
      mixed = process.sample().to(torch::kCPU, torch::kFloat32);
    }
    rows.push_back(a);
    rows.push_back(mixed);
    rows.push_back(b);
  }
  return {RunStatus::Completed, torch::cat(rows)};
}

}  // namespace ddpm
