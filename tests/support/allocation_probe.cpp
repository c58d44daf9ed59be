#include "allocation_probe.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace {

std::atomic<bool> g_active{false};
std::atomic<std::size_t> g_largest{0};
std::atomic<std::size_t> g_refused{0};
std::atomic<std::size_t> g_hard_limit{SIZE_MAX};

// Records a request; false when the probe refuses it.
bool note_request(std::size_t size) {
  if (!g_active.load(std::memory_order_relaxed)) return true;
  std::size_t seen = g_largest.load(std::memory_order_relaxed);
  while (size > seen && !g_largest.compare_exchange_weak(seen, size, std::memory_order_relaxed)) {
  }
  if (size > g_hard_limit.load(std::memory_order_relaxed)) {
    g_refused.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)

// From LLVM's sanitizer/allocator_interface.h, which GCC 12 does not install; libasan exports it.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));

// ASan owns malloc: watch through its hook. It cannot refuse from a hook, so the fuzz
// executables also cap single allocations at 4 GiB through ASan's own option
// (max_allocation_size_mb) and let malloc return nullptr instead of aborting.
extern "C" const char* __asan_default_options() {
  return "max_allocation_size_mb=4096:allocator_may_return_null=1";
}

namespace {
void malloc_hook(const volatile void*, std::size_t size) {
  note_request(size);
}
void free_hook(const volatile void*) {}
const int g_hooks_installed = __sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook);
}  // namespace

namespace ddpm::test {
bool AllocationProbe::supported() {
  return g_hooks_installed != 0;
}
}  // namespace ddpm::test

#else

// glibc's own allocator entry points (exported by libc.so.6 for exactly this use).
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void* __libc_valloc(std::size_t);
void* __libc_pvalloc(std::size_t);
void __libc_free(void*);

// These replace the C library's definitions for the whole process (the executable's
// symbols come first in the dynamic linker's search order).
void* malloc(std::size_t size) {
  if (!note_request(size)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_malloc(size);
}
void free(void* pointer) {
  __libc_free(pointer);
}
void* calloc(std::size_t count, std::size_t size) {
  std::size_t total = 0;
  if (__builtin_mul_overflow(count, size, &total)) total = SIZE_MAX;
  if (!note_request(total)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) {
  if (!note_request(size)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_realloc(pointer, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
  if (!note_request(size)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_memalign(alignment, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  return memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  if (!note_request(size)) return ENOMEM;
  void* pointer = __libc_memalign(alignment, size);
  if (!pointer) return ENOMEM;
  *out = pointer;
  return 0;
}
void* valloc(std::size_t size) {
  if (!note_request(size)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_valloc(size);
}
void* pvalloc(std::size_t size) {
  if (!note_request(size)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_pvalloc(size);
}
}  // extern "C"

namespace ddpm::test {
bool AllocationProbe::supported() {
  return true;
}
}  // namespace ddpm::test

#endif

namespace ddpm::test {

AllocationProbe::AllocationProbe(std::size_t hard_limit) {
  g_largest.store(0);
  g_refused.store(0);
  g_hard_limit.store(hard_limit);
  g_active.store(true);
}

AllocationProbe::~AllocationProbe() {
  g_active.store(false);
  g_hard_limit.store(SIZE_MAX);
}

std::size_t AllocationProbe::largest() const {
  return g_largest.load();
}

std::size_t AllocationProbe::refused() const {
  return g_refused.load();
}

}  // namespace ddpm::test
