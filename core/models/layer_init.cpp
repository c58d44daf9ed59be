#include "core/models/layer_init.h"

#include <cmath>

namespace ddpm {

namespace {

void init_weight_and_bias(torch::Tensor& weight, torch::Tensor& bias, double scale) {
  const double effective = scale == 0.0 ? 1e-10 : scale;
  torch::nn::init::xavier_uniform_(weight, std::sqrt(effective));
  if (bias.defined()) torch::nn::init::zeros_(bias);
}

}  // namespace

void ddpm_init(torch::nn::Conv2d& layer, double scale) {
  init_weight_and_bias(layer->weight, layer->bias, scale);
}

void ddpm_init(torch::nn::Linear& layer, double scale) {
  init_weight_and_bias(layer->weight, layer->bias, scale);
}

}  // namespace ddpm
