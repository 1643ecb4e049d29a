// The GEMM boundary. Everything else calls kernels::sgemm, which runs the products small models
// make on minidl's own kernels (gemm_kernels.h, chosen by CPU features) and hands large ones to
// OpenBLAS; blas.cpp is the only file that includes cblas.h. gemm_ref is the naive triple loop the
// tests use as an oracle.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace minidl::kernels {

struct GemmVariant;

/// C[M,N] = alpha * op(A)[M,K] @ op(B)[K,N] + beta * C, row-major (C is not read when beta is 0).
/// op(X) = X, or X^T when trans_x (then X is stored [K,M] / [N,K]); ld* are row strides.
/// Products up to gemm_uses_openblas's limit run on minidl's best kernel for this CPU, larger
/// ones on OpenBLAS; large products are split into blocks of C across minidl's threads.
void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
           int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

/// sgemm on a chosen implementation instead of the size rule: one of gemm_variants(), or
/// OpenBLAS when `variant` is null (tests and benchmarks). Split across threads like sgemm.
void sgemm_with(const GemmVariant* variant, bool trans_a, bool trans_b, int64_t M, int64_t N,
                int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                float beta, float* C, int64_t ldc);

/// Whether sgemm sends an M x N x K product to OpenBLAS (true) or to minidl's kernels (false).
bool gemm_uses_openblas(int64_t M, int64_t N, int64_t K);

/// The fewest floating-point operations (2 M N K) for which sgemm splits a product across
/// threads; smaller products run on the calling thread. Default 3.2e7 (why: blas.cpp).
double gemm_split_flops();
/// Sets gemm_split_flops() for the whole process and returns the previous value (tests lower
/// it to run the split on small shapes; a machine whose cores share data cheaply may too).
double set_gemm_split_flops(double flops);

/// The one-line warning sgemm prints (once, to stderr) when it first calls an OpenBLAS that runs
/// kernels for an older CPU than this one, e.g. Prescott's on an AVX-512 machine; empty when
/// OpenBLAS's core `corename` suits a CPU with these features.
std::string slow_blas_warning(std::string_view corename, bool cpu_has_avx2_fma,
                              bool cpu_has_avx512);

/// The same contract as sgemm, computed by a naive loop in double (test oracle).
void gemm_ref(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
              const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
              int64_t ldc);

}  // namespace minidl::kernels
