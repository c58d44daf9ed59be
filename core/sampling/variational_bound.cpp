#include "core/sampling/variational_bound.h"

#include "core/runtime/random.h"
#include "core/sampling/bound_strata.h"
#include "core/sampling/bound_term.h"
#include "core/sampling/gaussian_likelihood.h"
#include "core/sampling/model_checks.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>

namespace ddpm {
namespace {

void validate(const Denoiser& model, const torch::Tensor& x0, const BoundOptions& options, std::int64_t T) {
  if (!x0.defined() || x0.dim() < 2 || x0.size(0) < 1 || x0.numel() == 0)
    throw Error("the likelihood needs a non-empty batch of samples [B, …]");
  if (!x0.is_floating_point()) throw Error("the likelihood needs floating-point data");
  check_model_fits(model, x0.sizes().slice(1), options.device, "the likelihood");
  if (options.terms != 0 && options.terms != T && (options.terms < 2 || options.terms > T))
    throw Error("the number of bound terms must be 0 or T = " + std::to_string(T) + " (all) or between 2 and T, got " +
                std::to_string(options.terms));
  if (options.batch_size < 0) throw Error("the batch size must not be negative");
  if (options.decoder == DecoderKind::Discretized) {
    const double low = x0.min().item<double>(), high = x0.max().item<double>();
    if (!(low >= -1.0 && high <= 1.0))
      throw Error("the discretised decoder needs images scaled to [-1, 1], but the data range from " +
                  std::to_string(low) + " to " + std::to_string(high));
  } else if (!torch::isfinite(x0).all().item<bool>()) {
    throw Error("the data contain values that are not finite numbers");
  }
}

/// The code index evaluated for each stratum (ascending): every index for the exact sum;
/// stratified, 0 for L_0 and one uniform draw from each other stratum.
std::vector<std::int64_t> plan_terms(const std::vector<BoundStratum>& strata, std::int64_t T, at::Generator& generator) {
  const bool exact = static_cast<std::int64_t>(strata.size()) == T;
  std::vector<std::int64_t> plan;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    if (exact || i == 0) {
      plan.push_back(strata[i].begin);
      continue;
    }
    const auto drawn =
        at::randint(strata[i].begin, strata[i].end, {1}, generator, torch::TensorOptions().dtype(torch::kLong));
    plan.push_back(drawn.item<std::int64_t>());
  }
  return plan;
}

}  // namespace

double nats_to_bits(double nats) {
  return nats / std::log(2.0);
}

double bits_per_dim(double nats_per_sample, std::int64_t dims) {
  return nats_to_bits(nats_per_sample / static_cast<double>(dims));
}

VariationalBound variational_bound(const Denoiser& model, const GaussianDiffusion& diffusion_in, const torch::Tensor& x0,
                                   const BoundOptions& options, const BoundCallback& progress,
                                   const std::atomic<bool>* cancel) {
  const std::int64_t T = diffusion_in.steps();
  validate(model, x0, options, T);
  torch::NoGradGuard no_grad;
  model->eval();
  const auto device = options.device;
  const GaussianDiffusion diffusion =
      same_device(diffusion_in.device(), device) ? diffusion_in : GaussianDiffusion(diffusion_in.schedule(), device);
  const auto& schedule = diffusion.schedule();
  const auto sigma_squared = reverse_variance(schedule, options.variance);

  const std::int64_t B = x0.size(0);
  const std::int64_t dims = x0.numel() / B;
  const std::int64_t chunk = options.batch_size > 0 ? std::min(options.batch_size, B) : B;
  const auto data = x0.to(device, torch::kFloat32);
  auto generator = make_generator(options.seed);
  const auto strata = bound_strata(T, options.terms);
  const auto plan = plan_terms(strata, T, generator);

  VariationalBound result;
  result.dims = dims;
  result.terms_bits_per_dim.assign(static_cast<std::size_t>(T), std::numeric_limits<double>::quiet_NaN());
  result.x0_mse = result.terms_bits_per_dim;
  result.evaluated = plan;
  result.weights = stratum_weights(T, options.terms);
  const double elements = static_cast<double>(B * dims);
  const auto to_bits_per_dim = [&](const torch::Tensor& nats_sum) {
    return nats_to_bits(nats_sum.item<double>() / elements);  // mean over batch and dims, in bits
  };

  // L_T = KL(N(√ᾱ_T x_0, 1 − ᾱ_T) ‖ N(0, I)): no network, exact.
  const auto zero = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
  const auto last = static_cast<std::size_t>(T - 1);
  const auto prior = normal_kl(data.to(torch::kFloat64) * schedule.sqrt_alpha_bar[last],
                               zero + std::log(schedule.one_minus_alpha_bar[last]), zero, zero);
  result.prior_bits_per_dim = to_bits_per_dim(prior.sum());

  double total = result.prior_bits_per_dim;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const std::int64_t t = plan[i];
    const auto ti = static_cast<std::size_t>(t);
    auto nats_sum = zero.clone();
    auto squared_error_sum = zero.clone();
    for (std::int64_t begin = 0; begin < B; begin += chunk) {
      if (cancel && cancel->load()) {
        VariationalBound cancelled;
        cancelled.status = RunStatus::Cancelled;
        cancelled.dims = dims;
        return cancelled;
      }
      const auto x_start = data.narrow(0, begin, std::min(chunk, B - begin));
      const auto t_batch = timesteps(t, x_start.size(0), device);
      const auto x_t = diffusion.q_sample(x_start, t_batch, randn_like(x_start, generator));  // eq. 4
      const auto eps = model->forward(x_t, t_batch);
      if (eps.sizes() != x_t.sizes()) throw Error("the model returned a tensor of another shape than its input");
      // p_θ(x_{t−1} | x_t) = N(μ_θ, σ_t² I), μ_θ as in the sampler (eq. 11, or eq. 7 on a clipped x̂_0).
      const auto x0_hat = diffusion.predict_x0_from_eps(x_t, t_batch, eps, options.clip_x0);  // eq. 15
      const auto p_mean = diffusion.p_mean(x_t, t_batch, eps, options.clip_x0, x0_hat);
      squared_error_sum += (x0_hat.to(torch::kFloat64) - x_start.to(torch::kFloat64)).square().sum();
      const auto p_log_variance = zero + std::log(sigma_squared[ti]);
      // L_0 = −log p_θ(x_0 | x_1) (eq. 13 for images); L_t = KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t))
      const auto nats = bound_term_nats(diffusion, x_start, x_t, t_batch, p_mean, p_log_variance,
                                        options.decoder == DecoderKind::Discretized);
      nats_sum += nats.sum();
    }
    const double term = to_bits_per_dim(nats_sum);
    result.terms_bits_per_dim[ti] = term;
    result.x0_mse[ti] = squared_error_sum.item<double>() / elements;
    total += result.weights[i] * term;
    if (progress) progress({t, term, static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(plan.size())});
  }
  result.bits_per_dim = total;
  return result;
}

}  // namespace ddpm
