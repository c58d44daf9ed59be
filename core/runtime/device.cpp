#include "core/runtime/device.h"

#include "core/util/error.h"

namespace ddpm {

torch::Device resolve_device(const std::string& choice) {
  if (choice == "cpu") return torch::kCPU;
  if (choice == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  if (choice == "cuda") {
    if (const std::string reason = cuda_unavailable_reason(); !reason.empty())
      throw Error("device 'cuda' was asked for, but " + reason + " (use --device cpu or auto)");
    return torch::kCUDA;
  }
  throw Error("unknown device '" + choice + "' (expected auto, cpu or cuda)");
}

std::string cuda_unavailable_reason() {
  return torch::cuda::is_available() ? std::string() : "this build of LibTorch sees no CUDA GPU";
}

}  // namespace ddpm
