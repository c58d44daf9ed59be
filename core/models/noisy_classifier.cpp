#include "core/models/noisy_classifier.h"

#include "core/models/timestep_embedding.h"
#include "core/util/error.h"
#include "core/util/shape_text.h"

#include <string>

namespace ddpm {
namespace {

constexpr std::int64_t kMaxWidth = 4096;

void require_in(const char* field, std::int64_t value, std::int64_t low, std::int64_t high) {
  if (value < low || value > high)
    throw Error(std::string("the noisy classifier's ") + field + " must be in " + std::to_string(low) + ".." +
                std::to_string(high) + ", not " + std::to_string(value));
}

// Adds a per-channel bias [B, C] to h [B, C] or [B, C, H, W].
torch::Tensor plus_bias(const torch::Tensor& h, const torch::Tensor& bias) {
  return h.dim() == 4 ? h + bias.unsqueeze(-1).unsqueeze(-1) : h + bias;
}

}  // namespace

void validate_noisy_classifier_options(const NoisyClassifierOptions& o) {
  const auto& s = o.sample_shape;
  if (s.size() != 1 && s.size() != 3)
    throw Error("the noisy classifier takes points {D} or images {C, H, W}, not samples of shape " + shape_text(s));
  require_in(s.size() == 1 ? "point dimension" : "channel count", s[0], 1, kMaxWidth);
  if (s.size() == 3) {
    require_in("image height", s[1], 4, kMaxWidth);
    require_in("image width", s[2], 4, kMaxWidth);
  }
  require_in("class count", o.classes, 2, kMaxWidth);
  require_in("width", o.width, 1, kMaxWidth / 4);
  require_in("time embedding width", o.time_dim, 4, 1024);
  if (o.time_dim % 2 != 0) throw Error("the noisy classifier's time embedding width must be even");
}

NoisyClassifierImpl::NoisyClassifierImpl(NoisyClassifierOptions options) : options_(std::move(options)) {
  validate_noisy_classifier_options(options_);
  const std::int64_t w = options_.width;
  const std::int64_t time_hidden = 4 * w;
  time_in_ = register_module("time_in", torch::nn::Linear(options_.time_dim, time_hidden));
  time_out_ = register_module("time_out", torch::nn::Linear(time_hidden, time_hidden));
  std::vector<std::int64_t> widths;
  if (options_.images()) {
    const std::int64_t c = options_.sample_shape[0];
    const auto conv = [](std::int64_t in, std::int64_t out) {
      return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
    };
    layers_->push_back(conv(c, w));
    layers_->push_back(conv(w, 2 * w));
    layers_->push_back(conv(2 * w, 4 * w));
    const std::int64_t pooled = (options_.sample_shape[1] / 4) * (options_.sample_shape[2] / 4);  // two 2×2 pools
    layers_->push_back(torch::nn::Linear(4 * w * pooled, 4 * w));
    widths = {w, 2 * w, 4 * w, 4 * w};
  } else {
    layers_->push_back(torch::nn::Linear(options_.sample_shape[0], w));
    layers_->push_back(torch::nn::Linear(w, w));
    layers_->push_back(torch::nn::Linear(w, w));
    widths = {w, w, w};
  }
  for (const auto width : widths) time_bias_->push_back(torch::nn::Linear(time_hidden, width));
  register_module("layers", layers_);
  register_module("time_bias", time_bias_);
  head_ = register_module("head", torch::nn::Linear(widths.back(), options_.classes));
}

torch::Tensor NoisyClassifierImpl::forward(const torch::Tensor& x_t, const torch::Tensor& t) {
  std::vector<std::int64_t> shape{x_t.defined() ? x_t.size(0) : 0};
  shape.insert(shape.end(), options_.sample_shape.begin(), options_.sample_shape.end());
  if (!x_t.defined() || x_t.sizes().vec() != shape || shape[0] < 1)
    throw Error("the noisy classifier takes samples shaped [B, " + shape_text(options_.sample_shape).substr(1) +
                ", not " + (x_t.defined() ? shape_text(x_t.sizes()) : std::string("an empty tensor")));
  if (!t.defined() || t.dim() != 1 || t.size(0) != x_t.size(0))
    throw Error("the noisy classifier needs one timestep per sample");
  const torch::Tensor time =
      time_out_(torch::silu(time_in_(timestep_embedding(t, options_.time_dim).to(x_t.dtype()))));
  const torch::Tensor time_features = torch::silu(time);
  torch::Tensor h = x_t;
  const std::size_t convs = options_.images() ? 3 : 0;
  for (std::size_t i = 0; i < layers_->size(); ++i) {
    if (options_.images() && i == convs) h = h.flatten(1);  // the layout matters (a sleeve, a heel): no global pooling
    h = i < convs ? layers_[i]->as<torch::nn::Conv2d>()->forward(h) : layers_[i]->as<torch::nn::Linear>()->forward(h);
    h = torch::silu(plus_bias(h, time_bias_[i]->as<torch::nn::Linear>()->forward(time_features)));
    if (i + 1 < convs) h = torch::avg_pool2d(h, 2);
  }
  return head_(h);
}

NoisyLogits noisy_logits(NoisyClassifier model) {
  model->eval();
  return [model](const torch::Tensor& x_t, const torch::Tensor& t) mutable { return model->forward(x_t, t); };
}

}  // namespace ddpm
