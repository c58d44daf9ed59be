#pragma once

#include "core/data/data_range.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/sampling/classifier_guidance.h"
#include "core/sampling/ddim.h"
#include "core/sampling/guidance.h"
#include "core/sampling/reverse_variance.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ddpm {

/// Which reverse process turns noise into data: DDPM's ancestral sampler (Ho et al.
/// 2020, Algorithm 2), DDIM (Song et al. 2021, eq. 12), which may skip steps, or a
/// deterministic solver of the probability-flow ODE on the same skipped steps:
/// DPM-Solver++(2M) (Lu et al. 2022), Euler or Heun (Karras et al. 2022) (ode_steps.h).
enum class SamplerKind { DDPM, DDIM, DPMSolverPP, Euler, Heun };

/// Every sampler, in the order menus list them.
const std::vector<SamplerKind>& all_sampler_kinds();
/// "ddpm", "ddim", "dpm-solver++", "euler" or "heun", as the CLI spells them.
std::string to_string(SamplerKind kind);
/// "DDPM", "DDIM", "DPM-Solver++(2M)", "Euler", "Heun": the name shown to people.
std::string display_name(SamplerKind kind);
/// Inverse of to_string; throws ddpm::Error naming the valid choices.
SamplerKind sampler_kind_from_string(const std::string& name);
/// Network evaluations a run of K steps takes: K, except Heun's 2K − 1 (two per step, one
/// at the last step, which lands on the data).
std::int64_t network_evaluations(SamplerKind kind, std::int64_t steps);

/// How a run of K < T steps picks its code indices: evenly spaced in t (DDIM's choice,
/// Song et al. 2021) or evenly spaced in λ = ½ log SNR (Lu et al. 2022's choice for
/// DPM-Solver on small images), then rounded to the nearest distinct indices.
enum class StepSpacing { Uniform, LogSnr };
/// "uniform" or "logsnr"; the inverse throws ddpm::Error naming the choices.
std::string to_string(StepSpacing spacing);
StepSpacing step_spacing_from_string(const std::string& name);
/// The spacing each sampler's paper uses on small data: log SNR for DPM-Solver++ (Lu et
/// al. 2022 recommend it below 64×64 pixels), uniform for the others.
StepSpacing default_spacing(SamplerKind kind);

/// What a user chooses for one sampling run.
struct SamplerOptions {
  SamplerKind kind = SamplerKind::DDPM;
  std::int64_t steps = 0;          ///< all but DDPM: number of steps K in 1..T (0: T). DDPM always takes all T (0 or T only)
  StepSpacing spacing = StepSpacing::Uniform;  ///< all but DDPM: which K indices of 0..T−1 the run visits
  double eta = 0.0;                ///< DDIM: η in [0, 1]; 0 is deterministic, 1 gives DDPM's σ_t² = β̃_t. Unused by DDPM
  ReverseVariance variance = ReverseVariance::Beta;  ///< DDPM: σ_t² = β_t or β̃_t. Unused by DDIM (η sets σ)
  bool clip_x0 = false;            ///< clamp x̂_0 to [−1, 1] and take the mean from it (images, as in the paper's code)
  DataRange x0_range;              ///< 2D points: clamp x̂_0 into this box (the data's range) and take the mean from it; empty: no box
  std::int64_t n = 16;             ///< number of samples drawn together
  std::uint64_t seed = 0;          ///< x_T and every step's noise come from one CPU generator with this seed
  bool shared_noise = false;       ///< every sample of the batch gets the same x_T and the same noise at each
                                   ///< step, so samples differ only where they start (continue_from): interpolation
  torch::Device device = torch::kCPU;  ///< where the samples and the network live
  std::string precision = "fp32";      ///< "fp32" or "bf16" autocast for the network (runtime/precision.h)
  ClassGuidance guidance;              ///< conditional models: the class and the classifier-free guidance weight
  ClassifierGuidance classifier;       ///< unconditional models: a noise-aware classifier's class and scale s
};

/// The code indices a run visits, in order: T−1, T−2, …, 0 for DDPM; for the others with K
/// steps the evenly spaced subsequence round(i (T−1)/(K−1)), i = K−1 … 0, which starts at
/// T−1 and ends at 0 (K = 1: just T−1, one jump to x_0); with StepSpacing::LogSnr the
/// indices nearest to K values of λ evenly spaced from λ_{T−1} to λ_0, kept distinct.
/// Throws ddpm::Error for a step count out of range (ddim_steps_in_range; DDPM takes
/// exactly T).
std::vector<std::int64_t> sampling_timesteps(const SamplerOptions& options, const NoiseSchedule& schedule);
/// The same for uniform spacing, which needs only T (throws for StepSpacing::LogSnr).
std::vector<std::int64_t> sampling_timesteps(const SamplerOptions& options, std::int64_t T);

/// The reverse process p_θ as an iterator: each step() takes one reverse step, so a GUI
/// can show every frame and a CLI can loop. Noise x_T ~ N(0, I) and every step's z come
/// from a CPU generator seeded with options.seed, so one seed gives the same samples on
/// every device. Steps run under c10::InferenceMode (no autograd) with the model in eval()
/// mode (the constructor switches it), so the tensors they return are inference tensors:
/// read, copy or compute with them anywhere, but modify them in place only inside an
/// InferenceMode guard. Not thread-safe: drive one object from one thread.
///
/// Conventions (code index t = paper t − 1): step() evaluates ε_θ(x, t) at t = next_t()
/// on the current sample x; afterwards t() is that index, sample() holds the new sample,
/// which sits at the noise level of the following index (x_0, the data, once done()).
class ReverseProcess {
 public:
  /// Draws x_T of shape [n, sample_shape…] on options.device. Throws ddpm::Error for bad
  /// options, a sample shape the model was not built for, or a model on another device.
  ReverseProcess(Denoiser model, const GaussianDiffusion& diffusion, std::vector<std::int64_t> sample_shape,
                 SamplerOptions options);
  // Copies would share one generator and so one noise stream; moving is fine.
  ReverseProcess(const ReverseProcess&) = delete;
  ReverseProcess& operator=(const ReverseProcess&) = delete;
  ReverseProcess(ReverseProcess&&) = default;
  ReverseProcess& operator=(ReverseProcess&&) = default;

  /// Goes on from a given sample instead of where the run stands: `x` [n, sample_shape…] on
  /// options.device sits at the noise level of code index `t` (as q_sample(x_0, t) does), so
  /// the next step evaluates ε_θ(x, t). The remaining steps become t followed by the
  /// run's own indices below t, and their noise comes from a generator seeded with `seed`.
  /// This is branching (re-draw the noise from a paused step) and the paper's
  /// x_t-conditioned reconstruction (noise a real image to t, then denoise it back). Throws
  /// ddpm::Error for t outside 0..T−1 or a shape other than the run's.
  void continue_from(torch::Tensor x, std::int64_t t, std::uint64_t seed);

  /// True once the last step (t = 0) has been taken.
  bool done() const { return steps_taken_ == total_steps(); }
  /// One reverse step; no noise is added at the last one. Throws std::logic_error when done().
  void step();

  /// Code index of the step just taken; T before the first step.
  std::int64_t t() const { return t_; }
  /// Code index the next step will take; −1 when done().
  std::int64_t next_t() const { return done() ? -1 : timesteps_[static_cast<std::size_t>(steps_taken_)]; }
  /// The current samples [n, sample_shape…]: x_T before the first step, x_0 when done().
  /// A new tensor after every step (never modified in place), so it may be kept.
  const torch::Tensor& sample() const { return x_; }
  /// x̂_0 predicted at the step just taken (clamped to [−1, 1] when clip_x0); undefined before.
  const torch::Tensor& predicted_x0() const { return x0_; }
  /// ε_θ(x, t), the network's output at the step just taken; undefined before. With
  /// classifier-free guidance it is the guided ε̃ = (1 + w) ε_θ(x, t, c) − w ε_θ(x, t, ∅).
  const torch::Tensor& predicted_eps() const { return eps_; }
  /// With guidance (w ≠ 0): ε_θ(x, t, c) and ε_θ(x, t, ∅) that ε̃ mixes; undefined otherwise.
  const torch::Tensor& predicted_eps_class() const { return eps_class_; }
  const torch::Tensor& predicted_eps_null() const { return eps_null_; }
  /// With classifier guidance: ∇ log p_φ(y | x, t) at the step just taken (ε_θ before the
  /// classifier's push is predicted_eps() + s √(1 − ᾱ_t) times it); undefined otherwise.
  const torch::Tensor& classifier_gradient() const { return classifier_gradient_; }
  /// Standard deviation σ of the noise added at the step just taken (0 at the last step,
  /// for DDIM with η = 0, for the ODE solvers, and before the first step).
  double sigma() const { return sigma_; }
  /// Steps taken so far, 0..total_steps().
  std::int64_t steps_taken() const { return steps_taken_; }
  /// Network evaluations so far (Heun takes two per step but the last).
  std::int64_t evaluations() const { return evaluations_; }
  /// T for DDPM, K for the others.
  std::int64_t total_steps() const { return static_cast<std::int64_t>(timesteps_.size()); }
  /// Every code index the run visits, in order (see sampling_timesteps).
  const std::vector<std::int64_t>& step_sequence() const { return timesteps_; }
  /// The options the run was built with.
  const SamplerOptions& options() const { return options_; }
  /// The forward process on options.device whose inverse this run samples.
  const GaussianDiffusion& diffusion() const { return diffusion_; }

 private:
  torch::Tensor draw_noise();
  /// ε_θ(x, t) for the whole batch, the x̂_0 it implies (clamped when asked for) and the ε̂
  /// that matches that x̂_0 (ε_θ itself unless clamped).
  struct Prediction {
    torch::Tensor t_batch, eps, x0, eps_hat;  // t_batch: t for every sample, as the network took it
    torch::Tensor eps_class, eps_null;        // with guidance: the two predictions eps mixes
    torch::Tensor classifier_gradient;        // with classifier guidance: ∇ log p_φ(y | x, t)
  };
  /// Whether x̂_0 is clamped (to [−1, 1] or to the data's box), so ε̂ is re-derived from it.
  bool clips_x0() const { return options_.clip_x0 || !options_.x0_range.empty(); }
  Prediction predict(const torch::Tensor& x, std::int64_t t);
  /// The network's ε for x at t_batch: ε_θ(x, t), or for a class ε_θ(x, t, c), guided.
  void evaluate_network(const torch::Tensor& x, Prediction& p);
  /// With a classifier: pushes p.eps along ∇ log p_φ(y | x, t) (classifier_guided_eps).
  void apply_classifier(const torch::Tensor& x, Prediction& p);
  torch::Tensor ode_step(const Prediction& at_t, std::int64_t t, std::int64_t s);

  Denoiser model_;
  GaussianDiffusion diffusion_;
  SamplerOptions options_;
  std::vector<std::int64_t> shape_;  // [n, sample_shape…]
  std::vector<std::int64_t> timesteps_;
  std::vector<double> sigma_ddpm_;  // σ_t per code index (DDPM)
  at::Generator generator_;
  torch::Tensor x_, x0_, eps_, eps_class_, eps_null_, classifier_gradient_;
  torch::Tensor previous_x0_;       // DPM-Solver++(2M): x̂_0 of the step before, made at index previous_t_
  std::int64_t previous_t_ = -1;
  std::int64_t evaluations_ = 0;
  std::int64_t t_ = 0;
  std::int64_t steps_taken_ = 0;
  double sigma_ = 0.0;
};

/// Called after every step, with the process in its new state.
using StepCallback = std::function<void(const ReverseProcess&)>;

/// Takes the remaining steps, calling on_step after each. `cancel` is read before every
/// step: when it is true the loop returns RunStatus::Cancelled (it never throws for
/// that), leaving the process at its last completed step, so calling again resumes it.
/// Errors from the model or the callback propagate as exceptions.
RunStatus run_to_end(ReverseProcess& process, const StepCallback& on_step = {},
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace ddpm
