// One BLAS call at a time in this process (see blas_guard.h for why).
//
// The executable defines the Fortran BLAS routines LibTorch imports; the dynamic linker
// binds libtorch_cpu's calls to these definitions (an executable's symbols come first
// in the lookup), and each wrapper forwards, under one process-wide lock, to the next
// definition in line: the system BLAS, found with dlsym(RTLD_NEXT). The signatures are
// LibTorch's (aten/src/ATen/native/CPUBlas.cpp, BlasKernel.cpp): no hidden Fortran
// string lengths. Level-1 routines (axpy, dot, scal, copy) take no work buffer in
// OpenBLAS and are left alone.
//
// Cost: an uncontended lock per call (tens of ns against the µs-to-ms of a product);
// two runs at once take turns inside BLAS, and everything else they do still overlaps.
#include "core/runtime/blas_guard.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

std::mutex& blas_mutex() {
  static std::mutex mutex;
  return mutex;
}

// The definition after ours: the system BLAS. Without one, LibTorch could not have linked,
// so a miss means a broken installation; say which routine and stop.
template <typename Function>
Function* next_definition(const char* name) {
  void* next = dlsym(RTLD_NEXT, name);
  if (!next) {
    std::fprintf(stderr, "ddpm: the BLAS routine %s was not found after the BLAS guard (%s)\n", name, dlerror());
    std::abort();
  }
  return reinterpret_cast<Function*>(next);
}

template <typename Function, typename... Args>
void call_locked(Function* next, Args... args) {
  const std::lock_guard<std::mutex> lock(blas_mutex());
  next(args...);
}

}  // namespace

extern "C" {

using Gemm = void(char*, char*, int*, int*, int*, void*, const void*, int*, const void*, int*, void*, void*, int*);
using Gemv = void(char*, int*, int*, void*, const void*, int*, const void*, int*, void*, void*, int*);
using Trsm = void(char*, char*, char*, char*, int*, int*, void*, const void*, int*, void*, int*);

#define DDPM_GUARD_GEMM(name)                                                                                   \
  void name(char* transa, char* transb, int* m, int* n, int* k, void* alpha, const void* a, int* lda,           \
            const void* b, int* ldb, void* beta, void* c, int* ldc) {                                          \
    static Gemm* const next = next_definition<Gemm>(#name);                                                    \
    call_locked(next, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);                           \
  }
#define DDPM_GUARD_GEMV(name)                                                                                   \
  void name(char* trans, int* m, int* n, void* alpha, const void* a, int* lda, const void* x, int* incx,        \
            void* beta, void* y, int* incy) {                                                                   \
    static Gemv* const next = next_definition<Gemv>(#name);                                                    \
    call_locked(next, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);                                     \
  }
#define DDPM_GUARD_TRSM(name)                                                                                   \
  void name(char* side, char* uplo, char* trans, char* diag, int* m, int* n, void* alpha, const void* a,       \
            int* lda, void* b, int* ldb) {                                                                      \
    static Trsm* const next = next_definition<Trsm>(#name);                                                    \
    call_locked(next, side, uplo, trans, diag, m, n, alpha, a, lda, b, ldb);                                   \
  }

DDPM_GUARD_GEMM(sgemm_)
DDPM_GUARD_GEMM(dgemm_)
DDPM_GUARD_GEMM(cgemm_)
DDPM_GUARD_GEMM(zgemm_)
DDPM_GUARD_GEMV(sgemv_)
DDPM_GUARD_GEMV(dgemv_)
DDPM_GUARD_TRSM(strsm_)
DDPM_GUARD_TRSM(dtrsm_)
DDPM_GUARD_TRSM(ctrsm_)
DDPM_GUARD_TRSM(ztrsm_)

#undef DDPM_GUARD_GEMM
#undef DDPM_GUARD_GEMV
#undef DDPM_GUARD_TRSM

// Named by core's CMake link option (--undefined) so that every executable linking core
// pulls this file out of the static library.
int ddpm_blas_guard_linked = 1;

}  // extern "C"

namespace ddpm {

bool blas_calls_serialised() {
  // Bound to ours (the process-wide lookup finds the executable's sgemm_ first) and a
  // system routine behind it.
  return dlsym(RTLD_DEFAULT, "sgemm_") == reinterpret_cast<void*>(&sgemm_) && dlsym(RTLD_NEXT, "sgemm_") != nullptr;
}

}  // namespace ddpm
