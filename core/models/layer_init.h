#pragma once

#include <torch/torch.h>

namespace ddpm {

/// The DDPM reference initialisation (the TF code's `default_init`): weights drawn
/// from variance scaling with fan_avg, uniform, i.e. Xavier-uniform with gain √scale;
/// biases zero. `scale` 0 means 1e-10, as the reference code does for the last layer
/// of every residual branch, so each branch starts almost as the identity yet still
/// passes gradients.
void ddpm_init(torch::nn::Conv2d& layer, double scale = 1.0);
/// Same for a fully connected layer.
void ddpm_init(torch::nn::Linear& layer, double scale = 1.0);

}  // namespace ddpm
