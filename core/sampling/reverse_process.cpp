#include "core/sampling/reverse_process.h"

#include "core/runtime/cuda_speed.h"
#include "core/runtime/random.h"
#include "core/sampling/ddim.h"
#include "core/sampling/model_checks.h"
#include "core/util/error.h"

#include <c10/core/InferenceMode.h>

#include <cmath>
#include <stdexcept>

namespace ddpm {
namespace {

GaussianDiffusion on_device(const GaussianDiffusion& diffusion, torch::Device device) {
  return same_device(diffusion.device(), device) ? diffusion : GaussianDiffusion(diffusion.schedule(), device);
}

void validate(const Denoiser& model, const std::vector<std::int64_t>& sample_shape, const SamplerOptions& options) {
  if (sample_shape.empty()) throw Error("the sample shape is empty");
  for (auto size : sample_shape)
    if (size < 1) throw Error("the sample shape " + shape_text(sample_shape) + " has a dimension below 1");
  if (options.n < 1) throw Error("the number of samples must be at least 1, got " + std::to_string(options.n));
  if (options.kind == SamplerKind::DDIM && !(options.eta >= 0.0 && options.eta <= 1.0))
    throw Error("DDIM's eta must be between 0 (deterministic) and 1 (as noisy as DDPM), got " +
                std::to_string(options.eta));
  check_precision(options.precision);
  if (options.precision == "bf16" && !options.device.is_cuda())
    throw Error("bf16 sampling runs on a CUDA device only; use precision fp32 on the " + options.device.str());
  check_model_fits(model, sample_shape, options.device, "sampling");
}

}  // namespace

std::string to_string(SamplerKind kind) {
  return kind == SamplerKind::DDPM ? "ddpm" : "ddim";
}

SamplerKind sampler_kind_from_string(const std::string& name) {
  if (name == "ddpm") return SamplerKind::DDPM;
  if (name == "ddim") return SamplerKind::DDIM;
  throw Error("unknown sampler '" + name + "': use ddpm or ddim");
}

std::vector<std::int64_t> sampling_timesteps(const SamplerOptions& options, std::int64_t T) {
  if (T < 1) throw Error("the noise schedule has no steps");
  std::int64_t K = options.steps == 0 ? T : options.steps;
  if (options.kind == SamplerKind::DDPM && K != T)
    throw Error("DDPM sampling takes all T = " + std::to_string(T) + " steps (asked for " +
                std::to_string(options.steps) + "); use the DDIM sampler for fewer steps");
  if (!ddim_steps_in_range(K, T))
    throw Error("the number of DDIM steps must be between 1 and T = " + std::to_string(T) + ", got " +
                std::to_string(options.steps));
  std::vector<std::int64_t> sequence(static_cast<std::size_t>(K));
  for (std::int64_t i = 0; i < K; ++i) {
    // round(i (T − 1)/(K − 1)) in integers; spacing ≥ 1 keeps the indices distinct.
    const std::int64_t value = K == 1 ? T - 1 : (2 * i * (T - 1) + (K - 1)) / (2 * (K - 1));
    sequence[static_cast<std::size_t>(K - 1 - i)] = value;
  }
  return sequence;
}

ReverseProcess::ReverseProcess(Denoiser model, const GaussianDiffusion& diffusion,
                               std::vector<std::int64_t> sample_shape, SamplerOptions options)
    : model_(std::move(model)),
      diffusion_(on_device(diffusion, options.device)),
      options_(options),
      timesteps_(sampling_timesteps(options, diffusion.steps())),
      generator_(make_generator(options.seed)) {
  validate(model_, sample_shape, options_);
  shape_.push_back(options_.n);
  shape_.insert(shape_.end(), sample_shape.begin(), sample_shape.end());
  if (options_.kind == SamplerKind::DDPM) {
    sigma_ddpm_ = reverse_variance(diffusion_.schedule(), options_.variance);
    for (auto& value : sigma_ddpm_) value = std::sqrt(value);
    sigma_ddpm_[0] = 0.0;  // Algorithm 2: z = 0 at the last step
  }
  model_->eval();
  prepare_device(options_.device);
  t_ = diffusion_.steps();
  x_ = draw_noise();  // x_T ~ N(0, I)
}

torch::Tensor ReverseProcess::draw_noise() {
  if (!options_.device.is_cuda()) return randn(shape_, generator_, options_.device);
  // Same numbers as randn (which is empty + normal_), drawn into pinned memory so the copy
  // is asynchronous: the CPU draws while the GPU works, and no step waits on the host. The
  // caching host allocator keeps the buffer until its copy has finished.
  auto host = torch::empty(shape_, torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
  host.normal_(0.0, 1.0, generator_);
  return host.to(options_.device, /*non_blocking=*/true);
}

void ReverseProcess::step() {
  if (done()) throw std::logic_error("ReverseProcess::step() called after the last step");
  // No autograd at all: InferenceMode also skips the version counters and view tracking
  // that NoGradGuard still pays for on every op (measured in docs/performance.md).
  c10::InferenceMode inference;
  const auto index = static_cast<std::size_t>(steps_taken_);
  const std::int64_t t = timesteps_[index];
  const auto t_batch = timesteps(t, options_.n, options_.device);

  torch::Tensor eps;
  {
    AutocastScope autocast(options_.device, options_.precision);  // bf16 network when asked for (CUDA)
    eps = model_->forward(x_, t_batch).to(torch::kFloat32);
  }
  if (eps.sizes() != x_.sizes())
    throw Error("the model returned a tensor of shape " + shape_text(eps.sizes()) + " for input " +
                shape_text(x_.sizes()));
  auto x0 = diffusion_.predict_x0_from_eps(x_, t_batch, eps, options_.clip_x0);
  if (!options_.x0_range.empty()) x0 = options_.x0_range.clamp(x0);
  const bool clipped = options_.clip_x0 || !options_.x0_range.empty();

  torch::Tensor next;
  double sigma = 0.0;
  if (options_.kind == SamplerKind::DDPM) {
    // Algorithm 2 with μ_θ from eq. 11 (eq. 7 on the clipped x̂_0 when clipping).
    next = diffusion_.p_mean(x_, t_batch, eps, clipped, x0);
    sigma = sigma_ddpm_[static_cast<std::size_t>(t)];
  } else {
    const std::int64_t s = index + 1 < timesteps_.size() ? timesteps_[index + 1] : -1;
    const auto c = ddim_coefficients(diffusion_.schedule(), t, s, options_.eta);  // eq. 12
    // With clipping, ε̂ is re-derived from the clipped x̂_0 so that both describe one x_t.
    const auto eps_hat = clipped ? diffusion_.predict_eps_from_x0(x_, t_batch, x0) : eps;
    next = torch::add(x0 * c.sqrt_alpha_bar_prev, eps_hat, c.direction);
    sigma = c.sigma;
  }
  if (sigma > 0.0) next.add_(draw_noise(), sigma);

  x_ = std::move(next);
  x0_ = std::move(x0);
  eps_ = std::move(eps);
  sigma_ = sigma;
  t_ = t;
  ++steps_taken_;
}

void ReverseProcess::continue_from(torch::Tensor x, std::int64_t t, std::uint64_t seed) {
  if (t < 0 || t >= diffusion_.steps())
    throw Error("a run can go on from a code index in 0.." + std::to_string(diffusion_.steps() - 1) + ", not " +
                std::to_string(t));
  if (x.sizes().vec() != shape_)
    throw Error("a run of shape " + shape_text(shape_) + " cannot go on from a sample of shape " +
                shape_text(x.sizes()));
  std::vector<std::int64_t> rest{t};
  for (const auto s : timesteps_)
    if (s < t) rest.push_back(s);
  timesteps_ = std::move(rest);
  generator_ = make_generator(seed);
  x_ = x.to(options_.device, torch::kFloat32);
  x0_ = torch::Tensor();
  eps_ = torch::Tensor();
  sigma_ = 0.0;
  t_ = t + 1;
  steps_taken_ = 0;
}

RunStatus run_to_end(ReverseProcess& process, const StepCallback& on_step, const std::atomic<bool>* cancel) {
  while (!process.done()) {
    if (cancel && cancel->load()) return RunStatus::Cancelled;
    process.step();
    if (on_step) on_step(process);
  }
  return RunStatus::Completed;
}

}  // namespace ddpm
