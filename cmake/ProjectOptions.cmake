# Warnings and sanitizers as INTERFACE targets, linked PRIVATE by each of our targets
# (the cpp-best-practices cmake_template pattern).
add_library(ddpm_warnings INTERFACE)
add_library(ddpm::warnings ALIAS ddpm_warnings)
target_compile_options(ddpm_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

add_library(ddpm_sanitizers INTERFACE)
add_library(ddpm::sanitizers ALIAS ddpm_sanitizers)
if(DDPM_SANITIZE)
  target_compile_options(ddpm_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ddpm_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# tcmalloc (gperftools) as the executables' malloc. LibTorch frees and re-allocates the
# same large activations every step; glibc gives blocks above its mmap threshold back to
# the kernel and page-faults them in again on the next step, tcmalloc keeps them
# (docs/performance.md: about a third less CPU per UNet sampling step). Not with the
# sanitizers (ASan brings its own allocator) and not in the test executables (their
# allocation probe replaces malloc itself).
option(DDPM_TCMALLOC "Link ddpm and ddpm-studio with tcmalloc (gperftools)" ON)
add_library(ddpm_allocator INTERFACE)
add_library(ddpm::allocator ALIAS ddpm_allocator)
set(DDPM_ALLOCATOR_NAME "glibc")
if(DDPM_TCMALLOC AND NOT DDPM_SANITIZE)
  find_package(PkgConfig)
  if(PkgConfig_FOUND)
    pkg_check_modules(TCMALLOC IMPORTED_TARGET libtcmalloc_minimal)
  endif()
  if(TCMALLOC_FOUND)
    # --no-as-needed: nothing calls tcmalloc by name, it only has to be loaded before libc.
    target_link_libraries(ddpm_allocator INTERFACE "-Wl,--push-state,--no-as-needed" PkgConfig::TCMALLOC
                          "-Wl,--pop-state")
    set(DDPM_ALLOCATOR_NAME "tcmalloc")
  else()
    # Machines without gperftools (the GPU machine's toolchain) still build, on glibc's malloc.
    message(WARNING "tcmalloc (libgoogle-perftools-dev) not found: the executables use glibc's malloc, "
                    "which is slower for LibTorch's per-step buffers (docs/performance.md)")
  endif()
endif()
