#pragma once

#include <QString>

namespace ddpm::ui {

/// Why training cannot use CUDA on this machine (core's reason, e.g. no GPU or a CPU-only
/// LibTorch), or an empty string when it can. Asked once and remembered.
QString cudaUnavailableReason();

}  // namespace ddpm::ui
