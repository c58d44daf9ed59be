#include "core/runtime/precision.h"

#include "core/util/error.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the per-device autocast functions by ones that take a device type.
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

bool cpu_has_bf16() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // GCC's and Clang's check read CPUID and, for AVX-512, that the OS saves the registers.
  return __builtin_cpu_supports("avx512bf16");
#else
  return false;
#endif
}

std::string precision_problem(const torch::Device& device, const std::string& precision, PrecisionUse use,
                              bool cpu_bf16) {
  check_precision(precision);
  if (precision != "bf16" || device.is_cuda()) return {};
  if (use == PrecisionUse::Training)
    return "bf16 mixed precision trains on a CUDA device only; use precision fp32 on the " + device.str();
  if (!cpu_bf16)
    return "bf16 sampling on the CPU needs the AVX512_BF16 instructions, which this CPU does not have; "
           "use precision fp32";
  return {};
}

void require_precision(const torch::Device& device, const std::string& precision, PrecisionUse use) {
  const std::string problem = precision_problem(device, precision, use, cpu_has_bf16());
  if (!problem.empty()) throw Error(problem);
}

namespace {

bool autocast_enabled(bool cuda) {
#if DDPM_AUTOCAST_BY_DEVICE_TYPE
  return at::autocast::is_autocast_enabled(cuda ? at::kCUDA : at::kCPU);
#else
  return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

at::ScalarType autocast_dtype(bool cuda) {
#if DDPM_AUTOCAST_BY_DEVICE_TYPE
  return at::autocast::get_autocast_dtype(cuda ? at::kCUDA : at::kCPU);
#else
  return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

void set_autocast(bool cuda, bool enabled, at::ScalarType dtype) {
#if DDPM_AUTOCAST_BY_DEVICE_TYPE
  const auto type = cuda ? at::kCUDA : at::kCPU;
  at::autocast::set_autocast_dtype(type, dtype);
  at::autocast::set_autocast_enabled(type, enabled);
#else
  if (cuda) {
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
  } else {
    at::autocast::set_autocast_cpu_dtype(dtype);
    at::autocast::set_cpu_enabled(enabled);
  }
#endif
}

}  // namespace

AutocastScope::AutocastScope(const torch::Device& device, const std::string& precision)
    : active_(precision == "bf16" && (device.is_cuda() || device.is_cpu())), cuda_(device.is_cuda()) {
  if (!active_) return;
  previous_enabled_ = autocast_enabled(cuda_);
  previous_dtype_ = autocast_dtype(cuda_);
  set_autocast(cuda_, true, at::kBFloat16);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // The outermost scope drops the bf16 copies of the weights autocast cached for this pass.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast(cuda_, previous_enabled_, previous_dtype_);
}

}  // namespace ddpm
