#pragma once

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// The device a "auto" | "cpu" | "cuda" | "cuda:N" choice means on this machine: "auto"
/// is CUDA when torch::cuda::is_available(), else the CPU; "cuda:N" is GPU N (a
/// data-parallel run's LOCAL_RANK). Throws ddpm::Error for CUDA on a machine without a
/// usable GPU (or without GPU N), or for any other word.
torch::Device resolve_device(const std::string& choice);

/// Whether `choice` is one of the words resolve_device knows (whatever this machine has).
bool is_device_choice(const std::string& choice);

/// Why CUDA cannot be used here ("this build of LibTorch sees no CUDA GPU"), or empty
/// when it can.
std::string cuda_unavailable_reason();

}  // namespace ddpm
