// The BLAS boundary. blas.cpp is the only file that includes cblas.h; everything else calls
// kernels::sgemm. gemm_ref is the naive triple loop the tests use as an oracle.
#pragma once

#include <cstdint>

namespace minidl::kernels {

/// C[M,N] = alpha * op(A)[M,K] @ op(B)[K,N] + beta * C, row-major, through cblas_sgemm.
/// op(X) = X, or X^T when trans_x (then X is stored [K,M] / [N,K]); ld* are row strides.
/// Large products are split into blocks of C across minidl's threads (see parallel.h).
void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
           int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

/// The same contract as sgemm, computed by a naive loop in double (test oracle).
void gemm_ref(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
              const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
              int64_t ldc);

}  // namespace minidl::kernels
