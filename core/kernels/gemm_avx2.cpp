// The AVX2+FMA micro-kernels of minidl's GEMM (see gemm_kernels.h for the legend).
//   tile   MR = 6 rows x NV 8-float vectors (NV = 2: 6 x 16, the classic shape for 16 vector
//          registers: 12 accumulators, 2 for op(B)'s row, 1 for the broadcast; NV = 1: the
//          narrow 6 x 8 for products with N <= 8).
//   dot    3 x 4 dot products of A's rows with B's rows (A @ B^T), 8 floats of K at a time.
// Compiled for AVX2+FMA through target attributes on these functions only; gemm_variants() lists
// them only where the CPU reports both.
#include "core/kernels/gemm_kernels.h"

#if defined(__x86_64__)

#include <immintrin.h>

#include <algorithm>

namespace minidl::kernels {

namespace {

// Lane mask for columns [0, n) of an 8-float vector (n may be <= 0 or >= 8).
__attribute__((target("avx2,fma"))) inline __m256i lanes_below(int64_t n) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(std::clamp<int64_t>(n, 0, 8))),
                            lane);
}

// The sum of a vector's 8 floats: halves added down to 4, then pairs (5 instructions).
__attribute__((target("avx2,fma"))) inline float horizontal_sum(__m256 v) {
  __m128 four = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  four = _mm_add_ps(four, _mm_movehl_ps(four, four));
  return _mm_cvtss_f32(_mm_add_ss(four, _mm_shuffle_ps(four, four, 1)));
}

template <int NV>
__attribute__((target("avx2,fma"))) inline void tile_avx2(int64_t K, const float* A,
                                                          int64_t a_row_stride, int64_t a_k_stride,
                                                          const float* B, int64_t b_stride,
                                                          float* C, int64_t ldc, int64_t m,
                                                          int64_t n, float alpha, float beta) {
  constexpr int MR = 6;
  __m256 sum[MR][NV];  // [MR, 8 * NV], the tile's accumulators
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) sum[r][v] = _mm256_setzero_ps();
  }
  for (int64_t k = 0; k < K; ++k) {
    const float* b = B + k * b_stride;  // [8 * NV]
    __m256 b_row[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) b_row[v] = _mm256_loadu_ps(b + 8 * v);
    const float* a = A + k * a_k_stride;  // step k of the MR rows, a_row_stride apart
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256 a_r = _mm256_broadcast_ss(a + r * a_row_stride);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) sum[r][v] = _mm256_fmadd_ps(a_r, b_row[v], sum[r][v]);
    }
  }
  __m256i mask[NV];  // columns [0, n) of the tile, per vector
  for (int v = 0; v < NV; ++v) mask[v] = lanes_below(n - 8 * v);
  const __m256 alpha_v = _mm256_set1_ps(alpha);
  const __m256 beta_v = _mm256_set1_ps(beta);
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
    if (r >= m) break;
    float* c = C + r * ldc;  // [n]
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      __m256 out = _mm256_mul_ps(alpha_v, sum[r][v]);
      if (beta != 0.0F) {
        out = _mm256_fmadd_ps(beta_v, _mm256_maskload_ps(c + 8 * v, mask[v]), out);
      }
      _mm256_maskstore_ps(c + 8 * v, mask[v], out);
    }
  }
}

}  // namespace

__attribute__((target("avx2,fma"))) void tile_avx2_6x16(int64_t K, const float* A,
                                                        int64_t a_row_stride, int64_t a_k_stride,
                                                        const float* B, int64_t b_stride, float* C,
                                                        int64_t ldc, int64_t m, int64_t n,
                                                        float alpha, float beta) {
  tile_avx2<2>(K, A, a_row_stride, a_k_stride, B, b_stride, C, ldc, m, n, alpha, beta);
}

__attribute__((target("avx2,fma"))) void tile_avx2_6x8(int64_t K, const float* A,
                                                       int64_t a_row_stride, int64_t a_k_stride,
                                                       const float* B, int64_t b_stride, float* C,
                                                       int64_t ldc, int64_t m, int64_t n,
                                                       float alpha, float beta) {
  tile_avx2<1>(K, A, a_row_stride, a_k_stride, B, b_stride, C, ldc, m, n, alpha, beta);
}

__attribute__((target("avx2,fma"))) void dot_avx2_3x4(int64_t K, const float* A, int64_t lda,
                                                      const float* B, int64_t ldb, float* C,
                                                      int64_t ldc, int64_t m, int64_t n,
                                                      float alpha, float beta) {
  constexpr int64_t DR = 3;
  constexpr int64_t DC = 4;
  // Rows past m / n repeat the last real one (computed, never stored): no reads out of bounds.
  const float* a_row[DR];  // [K] each
  const float* b_row[DC];  // [K] each
  for (int64_t r = 0; r < DR; ++r) a_row[r] = A + std::min(r, m - 1) * lda;
  for (int64_t j = 0; j < DC; ++j) b_row[j] = B + std::min(j, n - 1) * ldb;
  __m256 sum[DR][DC];  // [DR, DC] vectors of 8 partial sums each
#pragma GCC unroll 3
  for (int64_t r = 0; r < DR; ++r) {
#pragma GCC unroll 4
    for (int64_t j = 0; j < DC; ++j) sum[r][j] = _mm256_setzero_ps();
  }
  for (int64_t k = 0; k < K; k += 8) {
    if (K - k < 8) break;  // the last K - k < 8 steps: below, through masked loads
    __m256 b[DC];
#pragma GCC unroll 4
    for (int64_t j = 0; j < DC; ++j) b[j] = _mm256_loadu_ps(b_row[j] + k);
#pragma GCC unroll 3
    for (int64_t r = 0; r < DR; ++r) {
      const __m256 a = _mm256_loadu_ps(a_row[r] + k);
#pragma GCC unroll 4
      for (int64_t j = 0; j < DC; ++j) sum[r][j] = _mm256_fmadd_ps(a, b[j], sum[r][j]);
    }
  }
  if (const int64_t tail = K % 8; tail != 0) {
    const int64_t k = K - tail;
    const __m256i mask = lanes_below(tail);  // zeros past K
    __m256 b[DC];
#pragma GCC unroll 4
    for (int64_t j = 0; j < DC; ++j) b[j] = _mm256_maskload_ps(b_row[j] + k, mask);
#pragma GCC unroll 3
    for (int64_t r = 0; r < DR; ++r) {
      const __m256 a = _mm256_maskload_ps(a_row[r] + k, mask);
#pragma GCC unroll 4
      for (int64_t j = 0; j < DC; ++j) sum[r][j] = _mm256_fmadd_ps(a, b[j], sum[r][j]);
    }
  }
  for (int64_t r = 0; r < m; ++r) {
    for (int64_t j = 0; j < n; ++j) {
      const float dot = horizontal_sum(sum[r][j]);
      float& c = C[r * ldc + j];
      c = beta == 0.0F ? alpha * dot : alpha * dot + beta * c;
    }
  }
}

}  // namespace minidl::kernels

#endif
