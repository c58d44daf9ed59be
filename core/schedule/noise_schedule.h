#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// The families of β schedules the app knows.
enum class ScheduleKind { Linear, Cosine, Quadratic, Sigmoid, Custom };

/// Lower-case name used by the CLI and in checkpoints ("linear", "cosine", …).
std::string to_string(ScheduleKind kind);
/// Inverse of to_string; throws ddpm::Error naming the valid kinds.
ScheduleKind schedule_kind_from_string(const std::string& name);

/// What a user chooses; NoiseSchedule turns it into numbers.
/// Paper defaults: linear, T = 1000, β from 1e-4 to 0.02.
struct ScheduleSpec {
  ScheduleKind kind = ScheduleKind::Linear;
  std::int64_t steps = 1000;        ///< T
  double beta_start = 1e-4;         ///< β_1 (linear, quadratic, sigmoid)
  double beta_end = 0.02;           ///< β_T (linear, quadratic, sigmoid)
  double cosine_s = 0.008;          ///< offset s of the cosine schedule
  std::vector<double> custom_betas; ///< β_1..β_T for Custom (steps is then its size)
  std::string custom_source;        ///< where custom_betas came from, for messages

  /// T whatever the kind: the number of custom β for Custom, else `steps`.
  std::int64_t timesteps() const;

  bool operator==(const ScheduleSpec& other) const;
  bool operator!=(const ScheduleSpec& other) const { return !(*this == other); }
};

/// Largest T accepted: far beyond any published schedule, small enough that every
/// per-step table stays a few MB.
constexpr std::int64_t kMaxScheduleSteps = 100000;
/// ᾱ_T above this gets a warning: √ᾱ_T > 0.1 of the data survives in x_T.
constexpr double kAlphaBarWarningThreshold = 0.01;
/// The cosine schedule clips β here (Nichol & Dhariwal 2021, Improved DDPM).
constexpr double kCosineMaxBeta = 0.999;

/// A noise schedule β_1..β_T and every quantity derived from it, in double precision.
///
/// Conventions: vectors are indexed by the code index t = 0..T−1, which is the
/// paper's t − 1; so alpha_bar[t] is the paper's ᾱ_{t+1}. alpha_bar_prev[0] = 1,
/// posterior_variance[0] = 0 and its clipped log uses posterior_variance[1] there
/// (as in the paper's code), so every column is finite. 1 − ᾱ is computed as
/// −expm1(Σ log1p(−β)), which keeps full relative precision where ᾱ ≈ 1.
class NoiseSchedule {
 public:
  /// Builds and validates; throws ddpm::Error with a message naming the bad value.
  explicit NoiseSchedule(const ScheduleSpec& spec = {});

  const ScheduleSpec& spec() const { return spec_; }
  std::int64_t steps() const { return static_cast<std::int64_t>(beta.size()); }
  /// Human-readable concerns that do not make the schedule invalid (e.g. ᾱ_T ≫ 0).
  const std::vector<std::string>& warnings() const { return warnings_; }

  std::vector<double> beta;                           ///< β_t
  std::vector<double> alpha;                          ///< α_t = 1 − β_t
  std::vector<double> alpha_bar;                      ///< ᾱ_t = ∏_{s≤t} α_s
  std::vector<double> alpha_bar_prev;                 ///< ᾱ_{t−1}, with ᾱ_0 = 1
  std::vector<double> one_minus_alpha_bar;            ///< 1 − ᾱ_t
  std::vector<double> sqrt_alpha_bar;                 ///< √ᾱ_t (eq. 4 mean)
  std::vector<double> sqrt_one_minus_alpha_bar;       ///< √(1 − ᾱ_t) (eq. 4 std)
  std::vector<double> posterior_variance;             ///< β̃_t (eq. 7)
  std::vector<double> posterior_log_variance_clipped; ///< log β̃_t, finite at t = 0
  std::vector<double> posterior_mean_coef1;           ///< coefficient of x_0 in μ̃_t (eq. 7)
  std::vector<double> posterior_mean_coef2;           ///< coefficient of x_t in μ̃_t (eq. 7)
  std::vector<double> sqrt_recip_alpha;               ///< 1/√α_t, the factor of μ_θ (eq. 11)
  std::vector<double> beta_over_sqrt_one_minus_alpha_bar;  ///< β_t/√(1 − ᾱ_t), the weight of ε_θ in μ_θ (eq. 11)
  std::vector<double> snr;                            ///< ᾱ_t / (1 − ᾱ_t)
  std::vector<double> log_snr;                        ///< log ᾱ_t − log(1 − ᾱ_t); NaN where ᾱ_t underflows to 0

 private:
  ScheduleSpec spec_;
  std::vector<std::string> warnings_;
};

/// β_1..β_T for a spec, before any derived quantity; validates the spec's parameters.
std::vector<double> make_betas(const ScheduleSpec& spec);

}  // namespace ddpm
