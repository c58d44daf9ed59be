#pragma once

namespace ddpm {

/// Hands the heap's free pages back to the operating system. After a training or sampling
/// run a long-lived process (the GUI) has freed hundreds of MB (a data set, activations)
/// that the allocator would otherwise keep and fragment: tcmalloc, the executables' malloc,
/// through MallocExtension_ReleaseFreeMemory; glibc's through malloc_trim(0), which also
/// returns the free pages inside each thread's arena. Any thread; a few milliseconds.
void release_free_memory();

/// This process's resident memory in bytes (/proc/self/statm), 0 where unknown.
long long resident_bytes();

}  // namespace ddpm
