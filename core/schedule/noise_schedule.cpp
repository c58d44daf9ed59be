#include "core/schedule/noise_schedule.h"

#include "core/util/error.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace ddpm {
namespace {

std::string format_number(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

void require_beta_parameter(const char* name, double value) {
  if (!std::isfinite(value) || value <= 0.0 || value >= 1.0)
    throw Error(std::string(name) + " must be a number in (0, 1), got " + format_number(value));
}

void require_steps(std::int64_t steps) {
  if (steps < 1 || steps > kMaxScheduleSteps)
    throw Error("the number of steps T must be between 1 and " + std::to_string(kMaxScheduleSteps) +
                ", got " + std::to_string(steps));
}

// Evenly spaced from `first` to `last`, both included (a single point is `first`).
double linspace_at(double first, double last, std::int64_t i, std::int64_t count) {
  if (count == 1) return first;
  return first + (last - first) * static_cast<double>(i) / static_cast<double>(count - 1);
}

std::vector<double> cosine_betas(std::int64_t steps, double s) {
  // ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2); β_t = 1 − ᾱ(t)/ᾱ(t−1).
  // With a = angle(t), b = angle(t−1): 1 − cos²a/cos²b = sin(a + b)·sin(a − b)/cos²b,
  // which avoids the cancellation of 1 − ratio when β is tiny.
  // a − b = π / (2T(1 + s)) is formed directly rather than as a difference of angles.
  const double T = static_cast<double>(steps);
  const double delta = M_PI / (2.0 * T * (1.0 + s));
  std::vector<double> betas(static_cast<std::size_t>(steps));
  for (std::int64_t i = 0; i < steps; ++i) {
    const double b = (static_cast<double>(i) / T + s) / (1.0 + s) * M_PI / 2.0;
    const double cos_b = std::cos(b);
    const double beta = std::sin(2.0 * b + delta) * std::sin(delta) / (cos_b * cos_b);
    betas[static_cast<std::size_t>(i)] = std::min(beta, kCosineMaxBeta);
  }
  return betas;
}

}  // namespace

std::string to_string(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Linear: return "linear";
    case ScheduleKind::Cosine: return "cosine";
    case ScheduleKind::Quadratic: return "quadratic";
    case ScheduleKind::Sigmoid: return "sigmoid";
    case ScheduleKind::Custom: return "custom";
  }
  return "linear";
}

ScheduleKind schedule_kind_from_string(const std::string& name) {
  for (ScheduleKind kind : {ScheduleKind::Linear, ScheduleKind::Cosine, ScheduleKind::Quadratic,
                            ScheduleKind::Sigmoid, ScheduleKind::Custom})
    if (to_string(kind) == name) return kind;
  throw Error("unknown schedule kind '" + name + "' (expected linear, cosine, quadratic, sigmoid or custom)");
}

std::int64_t ScheduleSpec::timesteps() const {
  return kind == ScheduleKind::Custom ? static_cast<std::int64_t>(custom_betas.size()) : steps;
}

bool ScheduleSpec::operator==(const ScheduleSpec& o) const {
  return kind == o.kind && steps == o.steps && beta_start == o.beta_start && beta_end == o.beta_end &&
         cosine_s == o.cosine_s && custom_betas == o.custom_betas;
}

std::vector<double> make_betas(const ScheduleSpec& spec) {
  if (spec.kind == ScheduleKind::Custom && spec.custom_betas.empty())
    throw Error("the custom schedule" + (spec.custom_source.empty() ? "" : " from " + spec.custom_source) +
                " has no β values");
  require_steps(spec.timesteps());
  if (spec.kind == ScheduleKind::Custom) return spec.custom_betas;
  if (spec.kind == ScheduleKind::Cosine) {
    if (!std::isfinite(spec.cosine_s) || spec.cosine_s < 0.0 || spec.cosine_s >= 1.0)
      throw Error("the cosine offset s must be in [0, 1), got " + format_number(spec.cosine_s));
    return cosine_betas(spec.steps, spec.cosine_s);
  }
  require_beta_parameter("beta_start", spec.beta_start);
  require_beta_parameter("beta_end", spec.beta_end);
  if (spec.beta_start > spec.beta_end)
    throw Error("beta_start (" + format_number(spec.beta_start) + ") must not exceed beta_end (" +
                format_number(spec.beta_end) + "): noise must grow with t");

  std::vector<double> betas(static_cast<std::size_t>(spec.steps));
  for (std::int64_t i = 0; i < spec.steps; ++i) {
    double beta = 0.0;
    switch (spec.kind) {
      case ScheduleKind::Linear:
        beta = linspace_at(spec.beta_start, spec.beta_end, i, spec.steps);
        break;
      case ScheduleKind::Quadratic: {  // linear in √β
        const double root = linspace_at(std::sqrt(spec.beta_start), std::sqrt(spec.beta_end), i, spec.steps);
        beta = root * root;
        break;
      }
      case ScheduleKind::Sigmoid:  // as in the DDPM authors' code: sigmoid over [−6, 6]
        beta = spec.beta_start + (spec.beta_end - spec.beta_start) /
                                     (1.0 + std::exp(-linspace_at(-6.0, 6.0, i, spec.steps)));
        break;
      default:
        break;
    }
    betas[static_cast<std::size_t>(i)] = beta;
  }
  return betas;
}

NoiseSchedule::NoiseSchedule(const ScheduleSpec& spec) : spec_(spec) {
  beta = make_betas(spec);
  const std::size_t T = beta.size();
  spec_.steps = spec.timesteps();  // T, also for a custom list
  for (std::size_t t = 0; t < T; ++t) {
    if (!std::isfinite(beta[t]) || beta[t] <= 0.0 || beta[t] >= 1.0)
      throw Error("beta at t = " + std::to_string(t) + " is " + format_number(beta[t]) +
                  ": every β must be a number in (0, 1)");
  }

  alpha.resize(T);
  alpha_bar.resize(T);
  alpha_bar_prev.resize(T);
  one_minus_alpha_bar.resize(T);
  sqrt_alpha_bar.resize(T);
  sqrt_one_minus_alpha_bar.resize(T);
  posterior_variance.resize(T);
  posterior_log_variance_clipped.resize(T);
  posterior_mean_coef1.resize(T);
  posterior_mean_coef2.resize(T);
  sqrt_recip_alpha.resize(T);
  beta_over_sqrt_one_minus_alpha_bar.resize(T);
  snr.resize(T);
  log_snr.resize(T);

  double log_alpha_bar = 0.0;  // Σ log α_s: ᾱ = exp(·), 1 − ᾱ = −expm1(·), both accurate
  for (std::size_t t = 0; t < T; ++t) {
    alpha[t] = 1.0 - beta[t];
    alpha_bar_prev[t] = t == 0 ? 1.0 : alpha_bar[t - 1];
    const double one_minus_alpha_bar_prev = t == 0 ? 0.0 : one_minus_alpha_bar[t - 1];
    log_alpha_bar += std::log1p(-beta[t]);
    alpha_bar[t] = std::exp(log_alpha_bar);
    one_minus_alpha_bar[t] = -std::expm1(log_alpha_bar);
    sqrt_alpha_bar[t] = std::sqrt(alpha_bar[t]);
    sqrt_one_minus_alpha_bar[t] = std::sqrt(one_minus_alpha_bar[t]);
    // eq. 7: β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t) β_t;
    // μ̃_t = √ᾱ_{t−1} β_t/(1 − ᾱ_t) x_0 + √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) x_t
    posterior_variance[t] = beta[t] * one_minus_alpha_bar_prev / one_minus_alpha_bar[t];
    posterior_mean_coef1[t] = beta[t] * std::sqrt(alpha_bar_prev[t]) / one_minus_alpha_bar[t];
    posterior_mean_coef2[t] = one_minus_alpha_bar_prev * std::sqrt(alpha[t]) / one_minus_alpha_bar[t];
    // eq. 11: μ_θ(x_t, t) = 1/√α_t (x_t − β_t/√(1 − ᾱ_t) ε_θ)
    sqrt_recip_alpha[t] = 1.0 / std::sqrt(alpha[t]);
    beta_over_sqrt_one_minus_alpha_bar[t] = beta[t] / sqrt_one_minus_alpha_bar[t];
    snr[t] = alpha_bar[t] / one_minus_alpha_bar[t];
    // log ᾱ − log(1 − ᾱ): both factors are stored accurately, unlike their ratio near 0.
    log_snr[t] = alpha_bar[t] > 0.0 && one_minus_alpha_bar[t] > 0.0
                     ? std::log(alpha_bar[t]) - std::log(one_minus_alpha_bar[t])
                     : std::numeric_limits<double>::quiet_NaN();
  }
  // β̃ at t = 0 is 0; its log is clipped to log β̃ at t = 1 (log β at T = 1).
  for (std::size_t t = 0; t < T; ++t) {
    const double variance = t > 0 ? posterior_variance[t] : (T > 1 ? posterior_variance[1] : beta[0]);
    posterior_log_variance_clipped[t] = std::log(variance);
  }

  if (alpha_bar[T - 1] > kAlphaBarWarningThreshold) {
    std::ostringstream message;
    message.precision(3);
    message << "ᾱ_T = " << alpha_bar[T - 1] << ": x_T is not pure noise (√ᾱ_T = " << sqrt_alpha_bar[T - 1]
            << " of the data survives); use more steps or larger β";
    warnings_.push_back(message.str());
  }
}

}  // namespace ddpm
