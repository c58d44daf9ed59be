#pragma once

#include <torch/torch.h>

#include <vector>

namespace ddpm {

/// Scales the gradients of `parameters` by min(1, max_norm / (‖g‖ + 1e-6)), where ‖g‖ is
/// the L2 norm of all of them together (Ho et al. clip at 1): the same rule as
/// torch::nn::utils::clip_grad_norm_, but the factor stays a device tensor, so a GPU step
/// never waits for the host, and the norms and the scaling are multi-tensor ops.
void clip_gradient_norm(const std::vector<torch::Tensor>& parameters, double max_norm);

}  // namespace ddpm
