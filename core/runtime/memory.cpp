#include "core/runtime/memory.h"

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace ddpm {

void release_free_memory() {
  // Looked up at run time: the tests and the sanitizer builds run on glibc's malloc.
  using Release = void (*)();
  if (auto release = reinterpret_cast<Release>(dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory"))) {
    release();
    return;
  }
  malloc_trim(0);
}

long long heap_allocated_bytes() {
  using Property = int (*)(const char*, size_t*);
  if (auto property = reinterpret_cast<Property>(dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty"))) {
    size_t bytes = 0;
    return property("generic.current_allocated_bytes", &bytes) ? static_cast<long long>(bytes) : -1;
  }
  const struct mallinfo2 info = mallinfo2();
  return static_cast<long long>(info.uordblks + info.hblkhd);
}

long long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long long size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace ddpm
