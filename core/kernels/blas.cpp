// The only caller of cblas_sgemm. Checks that every size fits BLAS's int before the call, keeps
// OpenBLAS single-threaded and splits large GEMMs across minidl's own threads instead.
#include "core/kernels/blas.h"

#include <cblas.h>

#include <limits>

#include "core/error.h"
#include "core/parallel.h"

namespace minidl::kernels {

namespace {

blasint to_blas_int(int64_t value, const char* what) {
  MINIDL_CHECK(value >= 0 && value <= std::numeric_limits<blasint>::max(),
               "sgemm: {} = {} does not fit BLAS's {}-bit int", what, value, sizeof(blasint) * 8);
  return static_cast<blasint>(value);
}

// C = beta * C for the degenerate K = 0 case (BLAS implementations differ there).
void scale_output(int64_t M, int64_t N, float beta, float* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.0F ? 0.0F : beta * C[i * ldc + j];
  }
}

// A GEMM below this many floating-point operations runs on one thread: handing half of it to
// the pool costs more than it saves (1 MFLOP is ~10 us on one core).
constexpr double kParallelGemmFlops = 1e6;

void call_sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
                int64_t ldc) {
  // OpenBLAS stays single-threaded: minidl's own pool does the splitting (see sgemm), so there
  // is one pool of threads, not two spinning against each other.
  static const bool single_threaded = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)single_threaded;
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, to_blas_int(M, "M"), to_blas_int(N, "N"),
              to_blas_int(K, "K"), alpha, A, to_blas_int(lda, "lda"), B, to_blas_int(ldb, "ldb"),
              beta, C, to_blas_int(ldc, "ldc"));
}

}  // namespace

void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
           int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    scale_output(M, N, beta, C, ldc);
    return;
  }
  const double flops =
      2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
  const int64_t threads = flops >= kParallelGemmFlops ? num_threads() : 1;
  if (threads == 1) {
    call_sgemm(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else if (N >= M) {  // one block of C's columns per thread: columns [j0, j1) of op(B) and C
    const int64_t block = (N + threads - 1) / threads;
    parallel_for(0, N, block, [&](int64_t j0, int64_t j1) {
      call_sgemm(trans_a, trans_b, M, j1 - j0, K, alpha, A, lda, trans_b ? B + j0 * ldb : B + j0,
                 ldb, beta, C + j0, ldc);
    });
  } else {  // one block of C's rows per thread: rows [i0, i1) of op(A) and C
    const int64_t block = (M + threads - 1) / threads;
    parallel_for(0, M, block, [&](int64_t i0, int64_t i1) {
      call_sgemm(trans_a, trans_b, i1 - i0, N, K, alpha, trans_a ? A + i0 : A + i0 * lda, lda, B,
                 ldb, beta, C + i0 * ldc, ldc);
    });
  }
}

void gemm_ref(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
              const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
              int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double dot = 0.0;
      for (int64_t k = 0; k < K; ++k) {
        const float a = trans_a ? A[k * lda + i] : A[i * lda + k];
        const float b = trans_b ? B[j * ldb + k] : B[k * ldb + j];
        dot += static_cast<double>(a) * b;
      }
      const double previous = beta == 0.0F ? 0.0 : static_cast<double>(beta) * C[i * ldc + j];
      C[i * ldc + j] = static_cast<float>(alpha * dot + previous);
    }
  }
}

}  // namespace minidl::kernels
