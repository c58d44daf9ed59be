#include "core/runtime/cuda_speed.h"

#include "core/util/error.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <mutex>

// LibTorch 2.4 replaced the CUDA-only autocast functions by ones that take a device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define DDPM_AUTOCAST_BY_DEVICE_TYPE 1
#else
#define DDPM_AUTOCAST_BY_DEVICE_TYPE 0
#endif

namespace ddpm {

void check_precision(const std::string& precision) {
  if (precision != "fp32" && precision != "bf16")
    throw Error("unknown precision '" + precision + "' (expected fp32 or bf16)");
}

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

AutocastScope::AutocastScope(const torch::Device& device, const std::string& precision)
    : active_(device.is_cuda() && precision == "bf16") {
  if (!active_) return;
#if DDPM_AUTOCAST_BY_DEVICE_TYPE
  previous_enabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
  previous_dtype_ = at::autocast::get_autocast_dtype(at::kCUDA);
  at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
  previous_enabled_ = at::autocast::is_enabled();
  previous_dtype_ = at::autocast::get_autocast_gpu_dtype();
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
#endif
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // The outermost scope drops the bf16 copies of the weights autocast cached for this pass.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if DDPM_AUTOCAST_BY_DEVICE_TYPE
  at::autocast::set_autocast_enabled(at::kCUDA, previous_enabled_);
  at::autocast::set_autocast_dtype(at::kCUDA, previous_dtype_);
#else
  at::autocast::set_enabled(previous_enabled_);
  at::autocast::set_autocast_gpu_dtype(previous_dtype_);
#endif
}

}  // namespace ddpm
