#include "core/runtime/device.h"

#include "core/util/error.h"

namespace ddpm {

torch::Device resolve_device(const std::string& choice) {
  if (choice == "cpu") return torch::kCPU;
  if (choice == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  if (choice == "cuda") {
    if (!torch::cuda::is_available())
      throw Error("device 'cuda' was asked for, but this build of LibTorch sees no CUDA GPU (use --device cpu or auto)");
    return torch::kCUDA;
  }
  throw Error("unknown device '" + choice + "' (expected auto, cpu or cuda)");
}

}  // namespace ddpm
