#pragma once
// Watches the size of every heap allocation the process makes while a probe is
// active, so fuzz tests can check that a reader never asks for more memory than a
// bound proportional to its input (a lying size field must not become a huge
// malloc). Link allocation_probe.cpp into the test executable.
//
// How it sees allocations: in a normal build allocation_probe.cpp replaces malloc,
// calloc, realloc and the aligned allocators for the whole process (LibTorch, zlib,
// stb and the C++ runtime included) and forwards them to glibc. Under AddressSanitizer,
// which owns malloc, it installs ASan's malloc hook instead. While a probe is active,
// a request above the hard limit is refused (nullptr, as if memory ran out) and
// recorded, so a giant allocation is detected without ever happening.

#include <cstddef>

namespace ddpm::test {

/// Records the largest single allocation made between construction and destruction.
/// One probe at a time, on the thread that runs the reader.
class AllocationProbe {
 public:
  /// Requests larger than `hard_limit` bytes fail while the probe lives.
  explicit AllocationProbe(std::size_t hard_limit);
  ~AllocationProbe();
  AllocationProbe(const AllocationProbe&) = delete;
  AllocationProbe& operator=(const AllocationProbe&) = delete;

  /// Largest request seen so far (bytes), refused ones included.
  std::size_t largest() const;
  /// Number of requests that were refused for exceeding the hard limit.
  std::size_t refused() const;
  /// True when this build can see allocations (false: the checks are skipped).
  static bool supported();
};

}  // namespace ddpm::test
