#pragma once
// Test-only: the optimal noise predictor for Gaussian data, in closed form, so the
// sampler and the likelihood bound can be tested without a trained network.

#include "core/models/denoiser.h"
#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"

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
///
/// With class means (set_class_means) it is a class-conditional model of K classes,
/// class c being N(m_c, s² I): label c uses m_c, the null label K (or no labels) uses m.
class OracleDenoiserImpl : public DenoiserImpl {
 public:
  OracleDenoiserImpl(const NoiseSchedule& schedule, double mean, double stddev, std::vector<std::int64_t> sample_shape)
      : mean_(mean), variance_(stddev * stddev) {
    config_.preset = "oracle";
    config_.sample_shape = std::move(sample_shape);
    alpha_bar_ = torch::tensor(schedule.alpha_bar, torch::kFloat64);
    one_minus_alpha_bar_ = torch::tensor(schedule.one_minus_alpha_bar, torch::kFloat64);
  }

  /// Makes the oracle class-conditional: class c has mean class_means[c].
  void set_class_means(std::vector<double> class_means) {
    class_means_ = std::move(class_means);
    config_.num_classes = static_cast<std::int64_t>(class_means_.size());
  }

  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& labels = {}) override {
    ++calls;
    last_batch = x_t.size(0);
    grad_seen = grad_seen || torch::GradMode::is_enabled();
    training_seen = training_seen || is_training();
    std::vector<std::int64_t> shape(static_cast<std::size_t>(x_t.dim()), 1);
    shape[0] = x_t.size(0);
    const auto index = t.to(torch::kCPU, torch::kLong);
    const auto alpha_bar = alpha_bar_.index_select(0, index).view(shape).to(x_t.device());
    const auto one_minus = one_minus_alpha_bar_.index_select(0, index).view(shape).to(x_t.device());
    const auto x = x_t.to(torch::kFloat64);
    const auto mean = means(labels, x_t.size(0)).view(shape).to(x_t.device());
    const auto eps = one_minus.sqrt() * (x - alpha_bar.sqrt() * mean) / (alpha_bar * variance_ + one_minus);
    return eps.to(x_t.scalar_type());
  }

  const ModelConfig& config() const override { return config_; }

  int calls = 0;
  std::int64_t last_batch = 0;
  bool grad_seen = false;
  bool training_seen = false;

 private:
  // The data mean each row's label selects: m_c for a class, m for ∅ or no label.
  torch::Tensor means(const torch::Tensor& labels, std::int64_t batch) const {
    auto out = torch::full({batch}, mean_, torch::kFloat64);
    if (!labels.defined()) return out;
    if (class_means_.empty()) throw Error("the oracle is not class-conditional");
    const auto cpu = labels.to(torch::kCPU);
    for (std::int64_t i = 0; i < batch; ++i) {
      const auto c = cpu[i].item<std::int64_t>();
      if (c < static_cast<std::int64_t>(class_means_.size())) out[i] = class_means_[static_cast<std::size_t>(c)];
    }
    return out;
  }

  double mean_, variance_;
  std::vector<double> class_means_;
  ModelConfig config_;
  torch::Tensor alpha_bar_, one_minus_alpha_bar_;
};

/// Shared pointer to an oracle, usable wherever a Denoiser is.
inline std::shared_ptr<OracleDenoiserImpl> make_oracle(const NoiseSchedule& schedule, double mean, double stddev,
                                                       std::vector<std::int64_t> sample_shape) {
  return std::make_shared<OracleDenoiserImpl>(schedule, mean, stddev, std::move(sample_shape));
}

}  // namespace ddpm::test
