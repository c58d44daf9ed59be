#include "core/training/ema.h"

#include "core/util/error.h"

#include <algorithm>

namespace ddpm {

Ema::Ema(Denoiser online, Denoiser shadow, double decay)
    : online_params_(online->parameters()),
      shadow_params_(shadow->parameters()),
      online_buffers_(online->buffers()),
      shadow_buffers_(shadow->buffers()),
      decay_(decay) {
  if (online_params_.size() != shadow_params_.size() || online_buffers_.size() != shadow_buffers_.size())
    throw Error("the EMA copy does not have the model's architecture");
  if (!(decay >= 0 && decay < 1)) throw Error("the EMA decay must be in [0, 1), not " + std::to_string(decay));
}

double Ema::decay_at(std::int64_t n) const {
  return std::min(decay_, (1.0 + static_cast<double>(n)) / (10.0 + static_cast<double>(n)));
}

void Ema::update(std::int64_t n) {
  torch::NoGradGuard no_grad;
  const double d = decay_at(n);
  if (d == 0) {
    for (std::size_t i = 0; i < shadow_params_.size(); ++i) shadow_params_[i].copy_(online_params_[i]);
  } else {
    // shadow ← d·shadow + (1 − d)·online, as multi-tensor ops: two kernel launches on a GPU
    // instead of two per parameter tensor (on the CPU the same per-tensor arithmetic).
    at::_foreach_mul_(shadow_params_, d);
    at::_foreach_add_(shadow_params_, online_params_, 1.0 - d);
  }
  for (std::size_t i = 0; i < shadow_buffers_.size(); ++i) shadow_buffers_[i].copy_(online_buffers_[i]);
}

void Ema::copy_online() {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < shadow_params_.size(); ++i) shadow_params_[i].copy_(online_params_[i]);
  for (std::size_t i = 0; i < shadow_buffers_.size(); ++i) shadow_buffers_[i].copy_(online_buffers_[i]);
}

}  // namespace ddpm
