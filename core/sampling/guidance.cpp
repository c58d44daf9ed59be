#include "core/sampling/guidance.h"

#include "core/util/error.h"

#include <cmath>
#include <cstdio>

namespace ddpm {

torch::Tensor guided_eps(const torch::Tensor& eps_class, const torch::Tensor& eps_null, double w) {
  if (w == 0.0) return eps_class;
  return torch::add(eps_class * (1.0 + w), eps_null, -w);
}

void validate_guidance(const ClassGuidance& guidance, const ModelConfig& model) {
  if (!std::isfinite(guidance.weight) || guidance.weight < 0.0 || guidance.weight > kMaxGuidanceWeight) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", guidance.weight);
    throw Error(std::string("the guidance weight must be a number from 0 to ") + std::to_string(int(kMaxGuidanceWeight)) +
                ", got " + text);
  }
  if (guidance.class_label < -1)
    throw Error("the class must be a class number, 0 or more, got " + std::to_string(guidance.class_label));
  if (!guidance.has_class() && guidance.weight != 0.0)
    throw Error("guidance needs a class to steer towards: choose one (--class C)");
  if (!guidance.has_class()) return;
  if (!model.conditional())
    throw Error("this model was trained without classes, so it cannot be given a class or guided; "
                "train one with --conditional on labelled data");
  if (guidance.class_label >= model.num_classes)
    throw Error("class " + std::to_string(guidance.class_label) + " is out of range: this model knows classes 0.." +
                std::to_string(model.num_classes - 1));
}

std::string guidance_text(const ClassGuidance& guidance, const std::vector<std::string>& class_names) {
  if (!guidance.has_class()) return "";
  std::string text = "class " + std::to_string(guidance.class_label);
  if (guidance.class_label < static_cast<std::int64_t>(class_names.size()))
    text += " (" + class_names[static_cast<std::size_t>(guidance.class_label)] + ")";
  char weight[32];
  std::snprintf(weight, sizeof weight, "%g", guidance.weight);
  return text + ", w = " + weight;
}

}  // namespace ddpm
