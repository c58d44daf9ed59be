#pragma once

#include "core/models/denoiser.h"
#include "core/models/noisy_classifier.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// Largest classifier scale s accepted (past it the gradient swamps ε̂ at every step).
constexpr double kMaxClassifierScale = 100.0;

/// Classifier guidance (Dhariwal & Nichol 2021) of an unconditional model: a
/// noise-aware classifier p_φ(y | x_t, t) steers every step towards class y.
struct ClassifierGuidance {
  NoisyLogits logits;              ///< the classifier; empty: no classifier guidance
  std::int64_t classes = 0;        ///< how many classes it knows
  std::int64_t class_label = -1;   ///< y; −1: none
  double scale = 0.0;              ///< s ≥ 0; 0 leaves ε̂ as the model predicts it

  /// True when steps use the classifier (a classifier and a class; s may be 0).
  bool active() const { return static_cast<bool>(logits) && class_label >= 0; }
};

/// ∇_{x_t} log p_φ(y | x_t, t) for each sample of x_t [B, …] at code indices t [B]: the
/// log-softmax of the logits at class `label`, differentiated by autograd. Runs with
/// gradients on even when the caller is under c10::InferenceMode or NoGradGuard (it leaves
/// both for the call), and never touches the classifier's own gradients. Returns float32
/// in x_t's shape, on x_t's device. Throws ddpm::Error when the logits are not [B, K] with
/// label < K, or the gradient is not finite.
torch::Tensor classifier_log_prob_gradient(const NoisyLogits& logits, const torch::Tensor& x_t, const torch::Tensor& t,
                                           std::int64_t label);

/// ε̂ − s √(1 − ᾱ_t) ∇_{x_t} log p_φ(y | x_t) (Dhariwal & Nichol 2021, Algorithm 2's score
/// form): the noise prediction of p(x_t | y) ∝ p(x_t) p_φ(y | x_t)^s, since ε̂ =
/// −√(1 − ᾱ_t) ∇ log p(x_t). `sqrt_one_minus_alpha_bar` broadcasts against eps ([B, 1, …]).
torch::Tensor classifier_guided_eps(const torch::Tensor& eps, const torch::Tensor& gradient,
                                    const torch::Tensor& sqrt_one_minus_alpha_bar, double scale);

/// Checks a choice against the model it guides: a class of the classifier, a finite scale
/// in 0..kMaxClassifierScale, and an unconditional model (a conditional one is steered by
/// classifier-free guidance, ClassGuidance). Throws ddpm::Error with a sentence that says
/// what to do. Without a classifier only the defaults (no class, s = 0) pass.
void validate_classifier_guidance(const ClassifierGuidance& guidance, const ModelConfig& model);

/// "classifier guidance to class 3 (Dress), s = 2" for messages and file metadata; "" when
/// not active().
std::string classifier_guidance_text(const ClassifierGuidance& guidance,
                                     const std::vector<std::string>& class_names = {});

}  // namespace ddpm
