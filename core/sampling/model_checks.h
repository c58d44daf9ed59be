#pragma once

#include "core/models/denoiser.h"
#include "core/util/shape_text.h"

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// Whether two devices are the same, treating a device without index ("cuda") as any of its kind.
bool same_device(const torch::Device& a, const torch::Device& b);

/// Throws ddpm::Error when `model` is null, was built for another sample shape than
/// `sample_shape` (one sample, without the batch dimension), or has its weights on
/// another device than `device`. `task` names the caller in messages ("sampling").
void check_model_fits(const Denoiser& model, at::IntArrayRef sample_shape, const torch::Device& device,
                      const std::string& task);

}  // namespace ddpm
