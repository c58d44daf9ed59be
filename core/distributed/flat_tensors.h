#pragma once

#include <torch/torch.h>

#include <vector>

namespace ddpm {

/// The tensors' values end to end in one float32 tensor (on the first one's device), so
/// a collective moves them in one call instead of one per tensor.
torch::Tensor flatten_tensors(const std::vector<torch::Tensor>& tensors);

/// Copies `flat` (as flatten_tensors laid it out) back into `tensors`, in place, each in
/// its own shape and dtype. Throws ddpm::Error when the sizes do not add up.
void unflatten_into(const torch::Tensor& flat, const std::vector<torch::Tensor>& tensors);

}  // namespace ddpm
