// The AVX-512 micro-kernels of minidl's GEMM (see gemm_kernels.h for the legend).
//   tile   MR = 8 rows x NV 16-float vectors (NV = 2: 8 x 32, 16 zmm accumulators; NV = 1: the
//          narrow 8 x 16 for products with N <= 16). Per step k: NV loads of op(B)'s row,
//          8 broadcasts of op(A)'s column, 8 * NV FMAs in independent chains, enough to cover the
//          FMA latency on cores with one or two 512-bit units.
//   dot    6 x 4 dot products of A's rows with B's rows (A @ B^T), 16 floats of K at a time.
// Only these functions are compiled for AVX-512 (a target attribute, not a file-wide flag), so
// nothing else in the binary uses instructions an older CPU lacks; gemm_variants() lists them only
// where the CPU reports avx512f.
#include "core/kernels/gemm_kernels.h"

#if defined(__x86_64__)

#include <immintrin.h>

#include <algorithm>

namespace minidl::kernels {

namespace {

// The sum of a vector's 16 floats: swap and add 256-bit halves, 128-bit quarters, pairs, single
// floats (8 instructions). The masked forms with an explicit source: the plain ones (and
// _mm512_reduce_add_ps) trip GCC 12's -Wmaybe-uninitialized inside its own header.
__attribute__((target("avx512f"))) inline float horizontal_sum(__m512 v) {
  constexpr __mmask16 kAll = 0xFFFF;
  v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, kAll, v, v, 0x4E));  // halves
  v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, kAll, v, v, 0xB1));  // quarters
  v = _mm512_add_ps(v, _mm512_mask_permute_ps(v, kAll, v, 0x4E));        // pairs
  v = _mm512_add_ps(v, _mm512_mask_permute_ps(v, kAll, v, 0xB1));        // floats
  return _mm512_cvtss_f32(v);
}

template <int NV>
__attribute__((target("avx512f"))) inline void tile_avx512(int64_t K, const float* A,
                                                           int64_t a_row_stride, int64_t a_k_stride,
                                                           const float* B, int64_t b_stride,
                                                           float* C, int64_t ldc, int64_t m,
                                                           int64_t n, float alpha, float beta) {
  constexpr int MR = 8;
  __m512 sum[MR][NV];  // [MR, 16 * NV], the tile's accumulators
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) sum[r][v] = _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < K; ++k) {
    const float* b = B + k * b_stride;  // [16 * NV]
    __m512 b_row[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) b_row[v] = _mm512_loadu_ps(b + 16 * v);
    const float* a = A + k * a_k_stride;  // step k of the MR rows, a_row_stride apart
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const __m512 a_r = _mm512_set1_ps(a[r * a_row_stride]);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) sum[r][v] = _mm512_fmadd_ps(a_r, b_row[v], sum[r][v]);
    }
  }
  // Columns [0, n) of the tile as one store mask per vector.
  __mmask16 mask[NV];
  for (int v = 0; v < NV; ++v) {
    const int64_t lanes = std::clamp<int64_t>(n - 16 * v, 0, 16);
    mask[v] = static_cast<__mmask16>(lanes == 16 ? 0xFFFFU : (1U << lanes) - 1U);
  }
  const __m512 alpha_v = _mm512_set1_ps(alpha);
  const __m512 beta_v = _mm512_set1_ps(beta);
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    if (r >= m) break;
    float* c = C + r * ldc;  // [n]
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      __m512 out = _mm512_mul_ps(alpha_v, sum[r][v]);
      if (beta != 0.0F) {
        out = _mm512_fmadd_ps(beta_v, _mm512_maskz_loadu_ps(mask[v], c + 16 * v), out);
      }
      _mm512_mask_storeu_ps(c + 16 * v, mask[v], out);
    }
  }
}

}  // namespace

__attribute__((target("avx512f"))) void tile_avx512_8x32(int64_t K, const float* A,
                                                         int64_t a_row_stride, int64_t a_k_stride,
                                                         const float* B, int64_t b_stride, float* C,
                                                         int64_t ldc, int64_t m, int64_t n,
                                                         float alpha, float beta) {
  tile_avx512<2>(K, A, a_row_stride, a_k_stride, B, b_stride, C, ldc, m, n, alpha, beta);
}

__attribute__((target("avx512f"))) void tile_avx512_8x16(int64_t K, const float* A,
                                                         int64_t a_row_stride, int64_t a_k_stride,
                                                         const float* B, int64_t b_stride, float* C,
                                                         int64_t ldc, int64_t m, int64_t n,
                                                         float alpha, float beta) {
  tile_avx512<1>(K, A, a_row_stride, a_k_stride, B, b_stride, C, ldc, m, n, alpha, beta);
}

__attribute__((target("avx512f"))) void dot_avx512_6x4(int64_t K, const float* A, int64_t lda,
                                                       const float* B, int64_t ldb, float* C,
                                                       int64_t ldc, int64_t m, int64_t n,
                                                       float alpha, float beta) {
  constexpr int64_t DR = 6;
  constexpr int64_t DC = 4;
  // Rows past m / n repeat the last real one (computed, never stored): no reads out of bounds.
  const float* a_row[DR];  // [K] each
  const float* b_row[DC];  // [K] each
  for (int64_t r = 0; r < DR; ++r) a_row[r] = A + std::min(r, m - 1) * lda;
  for (int64_t j = 0; j < DC; ++j) b_row[j] = B + std::min(j, n - 1) * ldb;
  __m512 sum[DR][DC];  // [DR, DC] vectors of 16 partial sums each
#pragma GCC unroll 6
  for (int64_t r = 0; r < DR; ++r) {
#pragma GCC unroll 4
    for (int64_t j = 0; j < DC; ++j) sum[r][j] = _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < K; k += 16) {
    if (K - k < 16) break;  // the last K - k < 16 steps: below, through masked loads
    __m512 b[DC];
#pragma GCC unroll 4
    for (int64_t j = 0; j < DC; ++j) b[j] = _mm512_loadu_ps(b_row[j] + k);
#pragma GCC unroll 6
    for (int64_t r = 0; r < DR; ++r) {
      const __m512 a = _mm512_loadu_ps(a_row[r] + k);
#pragma GCC unroll 4
      for (int64_t j = 0; j < DC; ++j) sum[r][j] = _mm512_fmadd_ps(a, b[j], sum[r][j]);
    }
  }
  if (const int64_t tail = K % 16; tail != 0) {
    const int64_t k = K - tail;
    const auto mask = static_cast<__mmask16>((1U << tail) - 1U);  // zeros past K
    __m512 b[DC];
#pragma GCC unroll 4
    for (int64_t j = 0; j < DC; ++j) b[j] = _mm512_maskz_loadu_ps(mask, b_row[j] + k);
#pragma GCC unroll 6
    for (int64_t r = 0; r < DR; ++r) {
      const __m512 a = _mm512_maskz_loadu_ps(mask, a_row[r] + k);
#pragma GCC unroll 4
      for (int64_t j = 0; j < DC; ++j) sum[r][j] = _mm512_fmadd_ps(a, b[j], sum[r][j]);
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
