#pragma once

namespace ddpm {

/// How a long-running loop (sampling, the likelihood bound) ended. Loops check a
/// std::atomic<bool> cancel flag between network calls and return Cancelled, never
/// throw, when it is set, so a GUI can stop them without exception plumbing.
enum class RunStatus { Completed, Cancelled };

}  // namespace ddpm
