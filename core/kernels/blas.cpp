// The only caller of cblas_sgemm. Checks that every size fits BLAS's int before the call.
#include "core/kernels/blas.h"

#include <cblas.h>

#include <algorithm>
#include <limits>

#include "core/error.h"

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

}  // namespace

void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
           int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    scale_output(M, N, beta, C, ldc);
    return;
  }
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, to_blas_int(M, "M"), to_blas_int(N, "N"),
              to_blas_int(K, "K"), alpha, A, to_blas_int(lda, "lda"), B, to_blas_int(ldb, "ldb"),
              beta, C, to_blas_int(ldc, "ldc"));
}

void set_blas_threads(int64_t threads) {
  openblas_set_num_threads(static_cast<int>(std::min<int64_t>(threads, 1024)));
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
