#include "core/sampling/reverse_process.h"

#include "core/runtime/cuda_speed.h"
#include "core/runtime/precision.h"
#include "core/runtime/random.h"
#include "core/sampling/ddim.h"
#include "core/sampling/model_checks.h"
#include "core/sampling/ode_steps.h"
#include "core/util/error.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
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
  require_precision(options.device, options.precision, PrecisionUse::Sampling);
  check_model_fits(model, sample_shape, options.device, "sampling");
  validate_guidance(options.guidance, model->config());
  validate_classifier_guidance(options.classifier, model->config());
}

}  // namespace

const std::vector<SamplerKind>& all_sampler_kinds() {
  static const std::vector<SamplerKind> kinds{SamplerKind::DDPM, SamplerKind::DDIM, SamplerKind::DPMSolverPP,
                                              SamplerKind::Euler, SamplerKind::Heun};
  return kinds;
}

std::string to_string(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::DDPM: return "ddpm";
    case SamplerKind::DDIM: return "ddim";
    case SamplerKind::DPMSolverPP: return "dpm-solver++";
    case SamplerKind::Euler: return "euler";
    case SamplerKind::Heun: return "heun";
  }
  return "?";
}

std::string display_name(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::DDPM: return "DDPM";
    case SamplerKind::DDIM: return "DDIM";
    case SamplerKind::DPMSolverPP: return "DPM-Solver++(2M)";
    case SamplerKind::Euler: return "Euler";
    case SamplerKind::Heun: return "Heun";
  }
  return "?";
}

SamplerKind sampler_kind_from_string(const std::string& name) {
  for (const auto kind : all_sampler_kinds())
    if (to_string(kind) == name) return kind;
  throw Error("unknown sampler '" + name + "': use ddpm, ddim, dpm-solver++, euler or heun");
}

std::string to_string(StepSpacing spacing) {
  return spacing == StepSpacing::Uniform ? "uniform" : "logsnr";
}

StepSpacing step_spacing_from_string(const std::string& name) {
  if (name == "uniform") return StepSpacing::Uniform;
  if (name == "logsnr") return StepSpacing::LogSnr;
  throw Error("unknown step spacing '" + name + "': use uniform or logsnr");
}

StepSpacing default_spacing(SamplerKind kind) {
  return kind == SamplerKind::DPMSolverPP ? StepSpacing::LogSnr : StepSpacing::Uniform;
}

std::int64_t network_evaluations(SamplerKind kind, std::int64_t steps) {
  return kind == SamplerKind::Heun ? 2 * steps - 1 : steps;
}

namespace {

std::int64_t checked_step_count(const SamplerOptions& options, std::int64_t T) {
  if (T < 1) throw Error("the noise schedule has no steps");
  std::int64_t K = options.steps == 0 ? T : options.steps;
  if (options.kind == SamplerKind::DDPM && K != T)
    throw Error("DDPM sampling takes all T = " + std::to_string(T) + " steps (asked for " +
                std::to_string(options.steps) + "); use the DDIM sampler for fewer steps");
  if (!ddim_steps_in_range(K, T))
    throw Error("the number of " + display_name(options.kind) + " steps must be between 1 and T = " +
                std::to_string(T) + ", got " + std::to_string(options.steps));
  return K;
}

std::vector<std::int64_t> uniform_timesteps(std::int64_t K, std::int64_t T) {
  std::vector<std::int64_t> sequence(static_cast<std::size_t>(K));
  for (std::int64_t i = 0; i < K; ++i) {
    // round(i (T − 1)/(K − 1)) in integers; spacing ≥ 1 keeps the indices distinct.
    const std::int64_t value = K == 1 ? T - 1 : (2 * i * (T - 1) + (K - 1)) / (2 * (K - 1));
    sequence[static_cast<std::size_t>(K - 1 - i)] = value;
  }
  return sequence;
}

// λ_t = ½ log SNR falls with t. Each of the K targets, evenly spaced from λ_{T−1} to λ_0,
// takes the index whose λ is nearest, no higher than one below the index before it and
// high enough to leave one index for each target still to come.
std::vector<std::int64_t> log_snr_timesteps(std::int64_t K, const NoiseSchedule& schedule) {
  const auto T = static_cast<std::int64_t>(schedule.alpha_bar.size());
  if (K == 1 || K == T) return uniform_timesteps(K, T);
  std::vector<double> lambda(static_cast<std::size_t>(T));
  for (std::int64_t t = 0; t < T; ++t) {
    const double alpha_bar = std::max(schedule.alpha_bar[static_cast<std::size_t>(t)], 1e-300);  // finite where ᾱ underflows
    lambda[static_cast<std::size_t>(t)] =
        0.5 * (std::log(alpha_bar) - std::log(schedule.one_minus_alpha_bar[static_cast<std::size_t>(t)]));
  }
  const double first = lambda.back(), last = lambda.front();
  std::vector<std::int64_t> sequence;
  std::int64_t upper = T - 1;
  for (std::int64_t i = 0; i < K; ++i) {
    const double target = first + (last - first) * static_cast<double>(i) / static_cast<double>(K - 1);
    const std::int64_t lower = K - 1 - i;
    std::int64_t best = upper;
    for (std::int64_t t = upper; t >= lower; --t)
      if (std::abs(lambda[static_cast<std::size_t>(t)] - target) < std::abs(lambda[static_cast<std::size_t>(best)] - target))
        best = t;
    sequence.push_back(best);
    upper = best - 1;
  }
  return sequence;
}

}  // namespace

std::vector<std::int64_t> sampling_timesteps(const SamplerOptions& options, std::int64_t T) {
  if (options.spacing == StepSpacing::LogSnr && options.kind != SamplerKind::DDPM)
    throw Error("log-SNR step spacing needs the noise schedule, not only T");
  return uniform_timesteps(checked_step_count(options, T), T);
}

std::vector<std::int64_t> sampling_timesteps(const SamplerOptions& options, const NoiseSchedule& schedule) {
  const auto T = static_cast<std::int64_t>(schedule.alpha_bar.size());
  const std::int64_t K = checked_step_count(options, T);
  if (options.spacing == StepSpacing::LogSnr && options.kind != SamplerKind::DDPM) return log_snr_timesteps(K, schedule);
  return uniform_timesteps(K, T);
}

ReverseProcess::ReverseProcess(Denoiser model, const GaussianDiffusion& diffusion,
                               std::vector<std::int64_t> sample_shape, SamplerOptions options)
    : model_(std::move(model)),
      diffusion_(on_device(diffusion, options.device)),
      options_(options),
      timesteps_(sampling_timesteps(options, diffusion.schedule())),
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
  auto shape = shape_;
  if (options_.shared_noise) shape[0] = 1;  // one draw, the same for every sample
  torch::Tensor noise;
  if (!options_.device.is_cuda()) {
    noise = randn(shape, generator_, options_.device);
  } else {
    // Same numbers as randn (which is empty + normal_), drawn into pinned memory so the copy
    // is asynchronous: the CPU draws while the GPU works, and no step waits on the host. The
    // caching host allocator keeps the buffer until its copy has finished.
    auto host = torch::empty(shape, torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
    host.normal_(0.0, 1.0, generator_);
    noise = host.to(options_.device, /*non_blocking=*/true);
  }
  return options_.shared_noise ? noise.expand(shape_).clone() : noise;
}

ReverseProcess::Prediction ReverseProcess::predict(const torch::Tensor& x, std::int64_t t) {
  Prediction p;
  p.t_batch = timesteps(t, options_.n, options_.device);
  const auto& t_batch = p.t_batch;
  evaluate_network(x, p);
  ++evaluations_;
  if (p.eps.sizes() != x.sizes())
    throw Error("the model returned a tensor of shape " + shape_text(p.eps.sizes()) + " for input " +
                shape_text(x.sizes()));
  apply_classifier(x, p);
  p.x0 = diffusion_.predict_x0_from_eps(x, t_batch, p.eps, options_.clip_x0);
  if (!options_.x0_range.empty()) p.x0 = options_.x0_range.clamp(p.x0);
  // With clipping, ε̂ is re-derived from the clipped x̂_0 so that both describe one x_t.
  p.eps_hat = clips_x0() ? diffusion_.predict_eps_from_x0(x, t_batch, p.x0) : p.eps;
  return p;
}

void ReverseProcess::evaluate_network(const torch::Tensor& x, Prediction& p) {
  AutocastScope autocast(options_.device, options_.precision);  // bf16 network when asked for (CUDA, or a CPU with AVX512_BF16)
  const ClassGuidance& guidance = options_.guidance;
  if (!guidance.has_class()) {
    p.eps = model_->forward(x, p.t_batch).to(torch::kFloat32);
    return;
  }
  const auto label = [&](std::int64_t value) {
    return torch::full({options_.n}, value, torch::TensorOptions().dtype(torch::kLong).device(options_.device));
  };
  if (!guidance.mixes()) {
    p.eps = model_->forward(x, p.t_batch, label(guidance.class_label)).to(torch::kFloat32);
    return;
  }
  // ε_θ(x, t, c) and ε_θ(x, t, ∅) in one pass over the doubled batch.
  const auto both = model_->forward(torch::cat({x, x}), torch::cat({p.t_batch, p.t_batch}),
                                    torch::cat({label(guidance.class_label), label(null_label(model_->config()))}))
                        .to(torch::kFloat32);
  p.eps_class = both.narrow(0, 0, options_.n);
  p.eps_null = both.narrow(0, options_.n, options_.n);
  p.eps = guided_eps(p.eps_class, p.eps_null, guidance.weight);
}

void ReverseProcess::apply_classifier(const torch::Tensor& x, Prediction& p) {
  const ClassifierGuidance& classifier = options_.classifier;
  if (!classifier.active()) return;
  p.classifier_gradient = classifier_log_prob_gradient(classifier.logits, x, p.t_batch, classifier.class_label);
  p.eps = classifier_guided_eps(p.eps, p.classifier_gradient,
                                diffusion_.extract(diffusion_.sqrt_one_minus_alpha_bar, p.t_batch, x), classifier.scale);
}

torch::Tensor ReverseProcess::ode_step(const Prediction& at_t, std::int64_t t, std::int64_t s) {
  const auto& schedule = diffusion_.schedule();
  if (options_.kind == SamplerKind::DPMSolverPP) {
    const auto c = previous_x0_.defined() ? dpm_solver_2m(schedule, previous_t_, t, s)
                                          : dpm_solver_first_order(schedule, t, s);
    auto d = c.previous != 0.0 ? torch::add(at_t.x0 * c.current, previous_x0_, c.previous) : at_t.x0;
    previous_x0_ = at_t.x0;
    previous_t_ = t;
    return torch::add(x_ * c.x, d, c.x0);
  }
  const auto c = euler_coefficients(schedule, t, s);
  auto euler = torch::add(x_ * c.x, at_t.eps_hat, c.eps);
  if (options_.kind == SamplerKind::Euler || s < 0) return euler;  // Heun's last step is Euler's (σ̃_s = 0)
  // Heun: the slope at the Euler guess, then the step with the mean of both slopes.
  const Prediction at_s = predict(euler, s);
  return torch::add(x_ * c.x, at_t.eps_hat + at_s.eps_hat, 0.5 * c.eps);
}

void ReverseProcess::step() {
  if (done()) throw std::logic_error("ReverseProcess::step() called after the last step");
  // No autograd at all: InferenceMode also skips the version counters and view tracking
  // that NoGradGuard still pays for on every op (measured in docs/performance.md).
  c10::InferenceMode inference;
  const auto index = static_cast<std::size_t>(steps_taken_);
  const std::int64_t t = timesteps_[index];
  const std::int64_t s = index + 1 < timesteps_.size() ? timesteps_[index + 1] : -1;
  Prediction p = predict(x_, t);

  torch::Tensor next;
  double sigma = 0.0;
  switch (options_.kind) {
    case SamplerKind::DDPM:
      // Algorithm 2 with μ_θ from eq. 11 (eq. 7 on the clipped x̂_0 when clipping).
      next = diffusion_.p_mean(x_, p.t_batch, p.eps, clips_x0(), p.x0);
      sigma = sigma_ddpm_[static_cast<std::size_t>(t)];
      break;
    case SamplerKind::DDIM: {
      const auto c = ddim_coefficients(diffusion_.schedule(), t, s, options_.eta);  // eq. 12
      next = torch::add(p.x0 * c.sqrt_alpha_bar_prev, p.eps_hat, c.direction);
      sigma = c.sigma;
      break;
    }
    default:
      next = ode_step(p, t, s);
  }
  if (sigma > 0.0) next.add_(draw_noise(), sigma);

  x_ = std::move(next);
  x0_ = std::move(p.x0);
  eps_ = std::move(p.eps);
  eps_class_ = std::move(p.eps_class);
  eps_null_ = std::move(p.eps_null);
  classifier_gradient_ = std::move(p.classifier_gradient);
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
  eps_class_ = torch::Tensor();
  eps_null_ = torch::Tensor();
  classifier_gradient_ = torch::Tensor();
  previous_x0_ = torch::Tensor();  // a new chain: DPM-Solver++ starts again at first order
  previous_t_ = -1;
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
