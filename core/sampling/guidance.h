#pragma once

#include "core/models/denoiser.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace ddpm {

/// Largest classifier-free guidance weight accepted (past it every sample saturates).
constexpr double kMaxGuidanceWeight = 100.0;

/// Which class a run draws from and how strongly: classifier-free guidance (Ho &
/// Salimans 2022) with a class-conditional model.
struct ClassGuidance {
  std::int64_t class_label = -1;  ///< the class c of every sample; −1: none (the null label ∅, unconditional)
  double weight = 0.0;            ///< w ≥ 0; 0: plain conditional sampling ε_θ(x_t, c)

  bool has_class() const { return class_label >= 0; }
  /// True when a step needs ε_θ(x_t, ∅) as well as ε_θ(x_t, c).
  bool mixes() const { return has_class() && weight != 0.0; }
};

/// ε̃ = (1 + w) ε_θ(x_t, c) − w ε_θ(x_t, ∅) (Ho & Salimans 2022, eq. 6): the conditional
/// prediction pushed away from the unconditional one. w = 0 gives ε_θ(x_t, c).
torch::Tensor guided_eps(const torch::Tensor& eps_class, const torch::Tensor& eps_null, double w);

/// Checks a choice against the model: a class (or a weight) needs a conditional model,
/// the class must be one it knows, the weight finite, 0..kMaxGuidanceWeight, and only
/// with a class. Throws ddpm::Error with a sentence that says what to do.
void validate_guidance(const ClassGuidance& guidance, const ModelConfig& model);

/// "class 3 (Dress), w = 2" style text for messages and file metadata; "" without a class.
std::string guidance_text(const ClassGuidance& guidance, const std::vector<std::string>& class_names = {});

}  // namespace ddpm
