#pragma once
// Test-only: the optimal noise predictor for Gaussian data, in closed form, so the
// sampler and the likelihood bound can be tested without a trained network.

#include "core/models/denoiser.h"
#include "core/schedule/noise_schedule.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ddpm::test {

/// ε*(x_t, t) = E[ε | x_t] for data x_0 ~ N(m, s² I), independently per dimension.
///
/// Derivation: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε with x_0 ~ N(m, s²) and ε ~ N(0, 1)
/// independent, so (x_t, ε) are jointly Gaussian with
///   E[x_t] = √ᾱ_t m,  Var[x_t] = ᾱ_t s² + 1 − ᾱ_t,  Cov[ε, x_t] = √(1 − ᾱ_t).
/// For jointly Gaussian variables E[ε | x_t] = E[ε] + Cov[ε, x_t]/Var[x_t] (x_t − E[x_t]):
///   E[ε | x_t] = √(1 − ᾱ_t) (x_t − √ᾱ_t m) / (ᾱ_t s² + 1 − ᾱ_t).
/// This minimises E‖ε − ε_θ(x_t, t)‖² (eq. 14), so it is the model training converges to,
/// and x̂_0 = (x_t − √(1 − ᾱ_t) ε*)/√ᾱ_t = E[x_0 | x_t] by linearity.
/// Computed in double; returns x_t's dtype. Counts its calls and records whether it was
/// ever called with gradients enabled or in training mode.
class OracleDenoiserImpl : public DenoiserImpl {
 public:
  OracleDenoiserImpl(const NoiseSchedule& schedule, double mean, double stddev, std::vector<std::int64_t> sample_shape)
      : mean_(mean), variance_(stddev * stddev) {
    config_.preset = "oracle";
    config_.sample_shape = std::move(sample_shape);
    alpha_bar_ = torch::tensor(schedule.alpha_bar, torch::kFloat64);
    one_minus_alpha_bar_ = torch::tensor(schedule.one_minus_alpha_bar, torch::kFloat64);
  }

  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t) override {
    ++calls;
    grad_seen = grad_seen || torch::GradMode::is_enabled();
    training_seen = training_seen || is_training();
    std::vector<std::int64_t> shape(static_cast<std::size_t>(x_t.dim()), 1);
    shape[0] = x_t.size(0);
    const auto index = t.to(torch::kCPU, torch::kLong);
    const auto alpha_bar = alpha_bar_.index_select(0, index).view(shape).to(x_t.device());
    const auto one_minus = one_minus_alpha_bar_.index_select(0, index).view(shape).to(x_t.device());
    const auto x = x_t.to(torch::kFloat64);
    const auto eps = one_minus.sqrt() * (x - alpha_bar.sqrt() * mean_) / (alpha_bar * variance_ + one_minus);
    return eps.to(x_t.scalar_type());
  }

  const ModelConfig& config() const override { return config_; }

  int calls = 0;
  bool grad_seen = false;
  bool training_seen = false;

 private:
  double mean_, variance_;
  ModelConfig config_;
  torch::Tensor alpha_bar_, one_minus_alpha_bar_;
};

/// Shared pointer to an oracle, usable wherever a Denoiser is.
inline std::shared_ptr<OracleDenoiserImpl> make_oracle(const NoiseSchedule& schedule, double mean, double stddev,
                                                       std::vector<std::int64_t> sample_shape) {
  return std::make_shared<OracleDenoiserImpl>(schedule, mean, stddev, std::move(sample_shape));
}

}  // namespace ddpm::test
