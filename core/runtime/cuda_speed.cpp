#include "core/runtime/cuda_speed.h"

#include <mutex>

namespace ddpm {

void prepare_device(const torch::Device& device) {
  if (!device.is_cuda()) return;
  static std::once_flag once;
  std::call_once(once, [] {
    auto& context = at::globalContext();
    context.setAllowTF32CuBLAS(true);
    context.setAllowTF32CuDNN(true);
    context.setBenchmarkCuDNN(true);
  });
}

}  // namespace ddpm
