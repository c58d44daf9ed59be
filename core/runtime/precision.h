#pragma once

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// The arithmetic of a run's network (docs/performance.md):
///  - "fp32": float32 weights and activations; on CUDA, matrix products and convolutions
///    may use TF32 tensor cores (runtime/cuda_speed.h).
///  - "bf16": the forward pass under bf16 autocast (convolutions and matrix products in
///    bfloat16, normalisations and the loss in float32); weights, gradients and the Adam
///    state stay float32. Trains and samples on CUDA; samples on a CPU that has the
///    AVX512_BF16 instructions (without them bfloat16 is emulated and slower than fp32).
/// Throws ddpm::Error for any other word.
void check_precision(const std::string& precision);

/// Whether this CPU has the AVX512_BF16 instructions and the OS keeps their registers.
bool cpu_has_bf16();

/// What a precision is used for: bf16 samples on a capable CPU but trains on CUDA only.
enum class PrecisionUse { Training, Sampling };

/// Why `precision` cannot run `use` on `device` ("" when it can); `cpu_bf16` says whether
/// the CPU has bf16 instructions (cpu_has_bf16(), a parameter so both answers are testable).
std::string precision_problem(const torch::Device& device, const std::string& precision, PrecisionUse use,
                              bool cpu_bf16);

/// Throws ddpm::Error with precision_problem() on this machine's CPU, unless it is "".
void require_precision(const torch::Device& device, const std::string& precision, PrecisionUse use);

/// While alive, the ops of this thread on `device` run under bf16 autocast when
/// `precision` is "bf16" (CUDA or CPU); otherwise it does nothing. Restores the previous
/// autocast state, and drops the bf16 copies of the weights it cached, when destroyed.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, const std::string& precision);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  bool cuda_ = false;
  bool previous_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kHalf;
};

}  // namespace ddpm
