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

/// Bytes the program holds in live heap blocks (malloc'd and not yet freed), as the
/// allocator counts them: tcmalloc's generic.current_allocated_bytes, glibc's mallinfo2
/// (all arenas plus mmapped blocks). Unlike the resident set it excludes free memory the
/// allocator keeps, so a leak raises it and fragmentation does not. -1 where unknown.
long long heap_allocated_bytes();

}  // namespace ddpm
