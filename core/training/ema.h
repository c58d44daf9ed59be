#pragma once

#include "core/models/denoiser.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ddpm {

/// Exponential moving average of a network's weights (Polyak averaging), the copy a
/// DDPM samples with (Ho et al. 2020, Appendix B). After optimiser update n (0-based):
/// θ_ema ← d_n θ_ema + (1 − d_n) θ, with d_n = min(decay, (1 + n) / (10 + n)), so a
/// short run's EMA is not dominated by the random initial weights. Buffers are copied.
/// decay = 0 makes the EMA copy equal the online weights after every update.
class Ema {
 public:
  /// `shadow` must have `online`'s architecture; it is not modified here.
  Ema(Denoiser online, Denoiser shadow, double decay);

  /// The decay used for update number `n` (0-based).
  double decay_at(std::int64_t n) const;
  /// Folds the online weights into the shadow copy; `n` = updates done before this one.
  void update(std::int64_t n);
  /// Sets the shadow weights equal to the online ones.
  void copy_online();

  /// The configured decay (the ceiling of decay_at).
  double decay() const { return decay_; }

 private:
  std::vector<torch::Tensor> online_params_, shadow_params_, online_buffers_, shadow_buffers_;
  double decay_;
};

}  // namespace ddpm
