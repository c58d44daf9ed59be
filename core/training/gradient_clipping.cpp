#include "core/training/gradient_clipping.h"

#include <torch/version.h>

namespace ddpm {

void clip_gradient_norm(const std::vector<torch::Tensor>& parameters, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return;
  const auto total = torch::stack(at::_foreach_norm(grads, 2)).norm();
  const auto factor = (max_norm / (total + 1e-6)).clamp_max(1.0);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
  at::_foreach_mul_(grads, factor);
#else
  for (auto& g : grads) g.mul_(factor);  // before 2.1 _foreach_mul_ took no tensor factor
#endif
}

}  // namespace ddpm
