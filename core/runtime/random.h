#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// A seeded CPU generator. Noise is drawn on the CPU and moved to the target device,
/// so one seed gives the same numbers on every device and torch version.
at::Generator make_generator(std::uint64_t seed);

/// Standard normal noise shaped, typed and placed like `like`, drawn from `generator`.
torch::Tensor randn_like(const torch::Tensor& like, at::Generator& generator);

/// Standard normal noise of `sizes` on `device`, drawn from `generator`.
torch::Tensor randn(at::IntArrayRef sizes, at::Generator& generator, torch::Device device = torch::kCPU);

}  // namespace ddpm
