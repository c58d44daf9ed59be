#pragma once

#include <atomic>

namespace ddpm::cli {

/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a flag that long commands check
/// between steps, so training stops cleanly and saves; a second Ctrl-C exits at once.
/// Returns the flag (installed once; later calls return the same flag).
const std::atomic<bool>& interrupt_flag();

}  // namespace ddpm::cli
