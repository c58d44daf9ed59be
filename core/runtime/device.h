#pragma once

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// The device a "auto" | "cpu" | "cuda" choice means on this machine: "auto" is CUDA
/// when torch::cuda::is_available(), else the CPU. Throws ddpm::Error for "cuda" on a
/// machine without a usable GPU, or for any other word.
torch::Device resolve_device(const std::string& choice);

/// Why CUDA cannot be used here ("this build of LibTorch sees no CUDA GPU"), or empty
/// when it can.
std::string cuda_unavailable_reason();

}  // namespace ddpm
