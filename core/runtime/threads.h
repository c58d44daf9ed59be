#pragma once

namespace ddpm {

/// Number of hardware threads, at least 1.
int hardware_threads();

/// Sets torch's intra-op thread count; `threads <= 0` means one per hardware thread
/// (torch's own default here is 1, which halves convolution speed on two cores).
/// Returns the count now in force.
int configure_torch_threads(int threads = 0);

}  // namespace ddpm
