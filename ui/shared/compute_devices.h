#pragma once

#include <QString>

namespace ddpm::ui {

/// Why training cannot use CUDA on this machine (core's reason, e.g. no GPU or a CPU-only
/// LibTorch), or an empty string when it can. Asked once and remembered.
QString cudaUnavailableReason();

/// Why the Sampling view cannot sample in bf16 on its device (CUDA when there is one,
/// else the CPU, which needs AVX512_BF16: core/runtime/precision.h), or an empty string
/// when it can. Asked once and remembered.
QString bf16SamplingUnavailableReason();

}  // namespace ddpm::ui
