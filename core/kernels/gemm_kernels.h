// minidl's own single-threaded GEMM for the products small models make (up to a few hundred in
// each dimension), so that their speed does not depend on OpenBLAS recognising the CPU. One
// driver, several register-blocked micro-kernels, one per instruction set; the CPU's best is
// chosen at run time from its features, so one binary runs on every x86-64 (and elsewhere with
// the portable kernel only). kernels::sgemm (blas.h) decides between these and OpenBLAS.
//
// Legend: C [M, N] = alpha * op(A) [M, K] @ op(B) [K, N] + beta * C, row-major.
//   MR x NR  the tile of C one micro-kernel call computes, held in vector registers
//            (8 x 32 for AVX-512, 6 x 16 for AVX2+FMA, 4 x 8 portable; a narrow tile half as
//            wide for products with N no wider than it).
//   band     MR rows of op(A), read in place (rows a_row_stride apart, steps k a_k_stride apart:
//            lda and 1 untransposed, 1 and lda transposed); a last, partial band is packed into
//            a_panel [K, MR] with zero rows past M.
//   b_strip  [K, NR]  NR columns of op(B), one row of NR floats per step k, rows b_stride apart:
//            op(B) itself when it is untransposed and the strip is whole, a packed, zero-padded
//            copy otherwise.
//   DR x DC  the tile of C a dot-product kernel computes: A @ B^T with a long K, both operands
//            read in place along K, nothing packed.
// Each tile is computed over the whole of K and written once: alpha * sum + beta * C (C is not
// read when beta is 0, so garbage or NaN in it does not leak).
#pragma once

#include <cstdint>
#include <vector>

namespace minidl::kernels {

/// The tile kernel contract: C[m, n] = alpha * band @ b_strip + beta * C for the tile at C
/// (m <= MR, n <= NR; band and strip are full MR / NR wide; C is not read when beta is 0).
using GemmTileKernel = void (*)(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                                const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m,
                                int64_t n, float alpha, float beta);

/// The dot-product kernel contract, for op(A) = A and op(B) = B^T (both read along K in place,
/// rows lda / ldb apart): C[m, n] = alpha * A[m, K] @ B[n, K]^T + beta * C, m <= DR, n <= DC
/// (C is not read when beta is 0). Vectorised along K: for long K.
using GemmDotKernel = void (*)(int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb,
                               float* C, int64_t ldc, int64_t m, int64_t n, float alpha,
                               float beta);

/// A tile kernel and its tile's size.
struct GemmTile {
  int64_t mr;  ///< rows
  int64_t nr;  ///< columns
  GemmTileKernel kernel;
};

/// One instruction set's kernels for minidl's GEMM.
struct GemmVariant {
  const char* name;   ///< "avx512", "avx2" or "portable"
  GemmTile wide;      ///< the main tile
  GemmTile narrow;    ///< for N <= narrow.nr
  int64_t dr;         ///< rows of a dot-product tile
  int64_t dc;         ///< columns of a dot-product tile
  GemmDotKernel dot;  ///< null where the variant has none (then A @ B^T is tiled too)
};

/// The variants this CPU can run, fastest first; the portable one is always there, last.
const std::vector<GemmVariant>& gemm_variants();
/// The variant sgemm uses: the first of gemm_variants().
const GemmVariant& best_gemm_variant();

/// Single-threaded GEMM with sgemm's contract (blas.h), computed by `variant`. K >= 1.
void gemm_packed(const GemmVariant& variant, bool trans_a, bool trans_b, int64_t M, int64_t N,
                 int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                 float beta, float* C, int64_t ldc);

// The kernels, one per instruction set and tile (gemm_kernels.cpp, gemm_avx2.cpp,
// gemm_avx512.cpp); each has the contract of GemmTileKernel or GemmDotKernel.
void tile_portable_4x8(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                       const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m,
                       int64_t n, float alpha, float beta);
#if defined(__x86_64__)
void tile_avx2_6x16(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                    const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m, int64_t n,
                    float alpha, float beta);
void tile_avx2_6x8(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                   const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m, int64_t n,
                   float alpha, float beta);
void dot_avx2_3x4(int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
                  int64_t ldc, int64_t m, int64_t n, float alpha, float beta);
void tile_avx512_8x32(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                      const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m, int64_t n,
                      float alpha, float beta);
void tile_avx512_8x16(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                      const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m, int64_t n,
                      float alpha, float beta);
void dot_avx512_6x4(int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
                    int64_t ldc, int64_t m, int64_t n, float alpha, float beta);
#endif

}  // namespace minidl::kernels
