#include "core/sampling/classifier_guidance.h"

#include "core/util/error.h"
#include "core/util/shape_text.h"

#include <c10/core/InferenceMode.h>

#include <cmath>
#include <cstdio>

namespace ddpm {
namespace {

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

torch::Tensor classifier_log_prob_gradient(const NoisyLogits& logits, const torch::Tensor& x_t, const torch::Tensor& t,
                                           std::int64_t label) {
  // Leave inference mode for this call only: the sampler's tensors are inference tensors,
  // so x is a fresh copy that autograd may record (a functional op outside InferenceMode
  // gives a normal tensor).
  c10::InferenceMode leave_inference(false);
  torch::AutoGradMode gradients_on(true);
  const torch::Tensor x = x_t.to(torch::kFloat32).clone().requires_grad_(true);
  const torch::Tensor time = t.clone();
  const torch::Tensor out = logits(x, time);
  if (!out.defined() || out.dim() != 2 || out.size(0) != x.size(0))
    throw Error("the classifier gave logits of shape " +
                (out.defined() ? shape_text(out.sizes()) : std::string("(none)")) + " for " +
                std::to_string(x.size(0)) + " samples");
  if (label < 0 || label >= out.size(1))
    throw Error("class " + std::to_string(label) + " is out of range: the classifier knows classes 0.." +
                std::to_string(out.size(1) - 1));
  // Σ_i log p(y | x_i): each sample's term depends on its own x_i only, so one backward
  // pass gives every sample's gradient.
  const torch::Tensor log_prob = torch::log_softmax(out.to(torch::kFloat32), 1).select(1, label).sum();
  torch::Tensor gradient = torch::autograd::grad({log_prob}, {x}, /*grad_outputs=*/{}, /*retain_graph=*/false,
                                                 /*create_graph=*/false)[0];
  if (!torch::isfinite(gradient).all().item<bool>())
    throw Error("the classifier's gradient is not finite; check the classifier file");
  return gradient.detach();
}

torch::Tensor classifier_guided_eps(const torch::Tensor& eps, const torch::Tensor& gradient,
                                    const torch::Tensor& sqrt_one_minus_alpha_bar, double scale) {
  if (scale == 0.0) return eps;
  return eps - (scale * sqrt_one_minus_alpha_bar) * gradient;
}

void validate_classifier_guidance(const ClassifierGuidance& guidance, const ModelConfig& model) {
  if (!std::isfinite(guidance.scale) || guidance.scale < 0.0 || guidance.scale > kMaxClassifierScale)
    throw Error("the classifier scale must be a number from 0 to " + number_text(kMaxClassifierScale) + ", got " +
                number_text(guidance.scale));
  if (!guidance.logits) {
    if (guidance.scale != 0.0) throw Error("a classifier scale needs a noise-aware classifier (--noisy-classifier)");
    return;
  }
  if (guidance.class_label < 0 || guidance.class_label >= guidance.classes)
    throw Error("classifier guidance needs a class of the classifier, 0.." + std::to_string(guidance.classes - 1) +
                ", got " + std::to_string(guidance.class_label));
  if (model.conditional())
    throw Error("this model is class-conditional: steer it with classifier-free guidance (--class C --guidance W), "
                "not with a classifier");
}

std::string classifier_guidance_text(const ClassifierGuidance& guidance, const std::vector<std::string>& class_names) {
  if (!guidance.active()) return "";
  std::string text = "classifier guidance to class " + std::to_string(guidance.class_label);
  if (guidance.class_label < static_cast<std::int64_t>(class_names.size()))
    text += " (" + class_names[static_cast<std::size_t>(guidance.class_label)] + ")";
  return text + ", s = " + number_text(guidance.scale);
}

}  // namespace ddpm
