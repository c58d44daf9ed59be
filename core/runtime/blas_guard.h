#pragma once

namespace ddpm {

/// True when this process's BLAS calls run one at a time (core/runtime/blas_guard.cpp).
///
/// Debian 12's serial OpenBLAS, the BLAS scripts/setup.sh selects, is not safe to call
/// from two threads at once: its work buffers are shared unguarded, and two runs in one
/// process (Compare's A and B, training beside sampling) now and then get a wrong product
/// (docs/reliability.md). The executables and tests that link core put a lock around every
/// BLAS routine LibTorch calls that uses those buffers (?gemm_, ?gemv_, ?trsm_), so two
/// runs give exactly what each gives alone. False if the link lost the wrappers, or the
/// next library in line does not define the routines.
bool blas_calls_serialised();

}  // namespace ddpm
