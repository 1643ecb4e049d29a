// The driver of minidl's GEMM, its packing, the portable kernel and the run-time choice of
// variant (see gemm_kernels.h for the legend). A @ B^T with a long K goes to the dot-product
// kernel. Everything else is tiled: the driver walks C in bands of MR rows and, within a band,
// in tiles of NR columns left to right; each tile reads its band of op(A) (L1) and its strip of
// op(B) (L2) over the whole of K. Operands are read in place wherever the tile can stream them;
// only a transposed op(B), a last partial strip and a last partial band are packed, into
// per-thread buffers.
#include "core/kernels/gemm_kernels.h"

#include <algorithm>
#include <cstddef>

#include "core/kernels/cpu_features.h"

namespace minidl::kernels {

namespace {

// A @ B^T with at least this long a K takes the dot-product kernel (bench_gemm: the dot kernel
// wins from K ~ 64 on at these sizes; below, reducing its vectors costs more than the tiled
// kernel's transposing of B).
constexpr int64_t kDotMinK = 64;

// Per-thread packing buffers, grown on demand and kept (every sgemm block on a thread reuses
// them: no allocation per call).
struct PackBuffers {
  std::vector<float> a_panel;  // [K, MR], the last, partial band
  std::vector<float> b;        // [strips, K, NR], the strips of op(B) that are packed
};

PackBuffers& pack_buffers() {
  thread_local PackBuffers buffers;
  return buffers;
}

float* reserve(std::vector<float>& buffer, int64_t count) {
  if (static_cast<int64_t>(buffer.size()) < count) buffer.resize(static_cast<size_t>(count));
  return buffer.data();
}

// a_panel [K, MR] = rows [i0, i0 + m) of op(A) [M, K], zero rows after them up to MR.
void pack_a_panel(float* a_panel, int64_t MR, bool trans_a, const float* A, int64_t lda, int64_t i0,
                  int64_t m, int64_t K) {
  for (int64_t k = 0; k < K; ++k) {
    float* target = a_panel + k * MR;  // [MR]
    for (int64_t r = 0; r < m; ++r) {
      target[r] = trans_a ? A[k * lda + i0 + r] : A[(i0 + r) * lda + k];
    }
    for (int64_t r = m; r < MR; ++r) target[r] = 0.0F;
  }
}

// strip [K, NR] = columns [j0, j0 + n) of op(B) [K, N], zero columns after them up to NR.
void pack_b_strip(float* strip, int64_t NR, bool trans_b, const float* B, int64_t ldb, int64_t j0,
                  int64_t n, int64_t K) {
  for (int64_t k = 0; k < K; ++k) {
    float* target = strip + k * NR;  // [NR]
    if (trans_b) {  // op(B)[k][j] = B[j * ldb + k]: n rows of B read side by side (they stay in
                    // L1 across the 16 steps k that share a cache line), the strip written in order
      for (int64_t j = 0; j < n; ++j) target[j] = B[(j0 + j) * ldb + k];
    } else {
      const float* source = B + k * ldb + j0;  // [n]
      for (int64_t j = 0; j < n; ++j) target[j] = source[j];
    }
    for (int64_t j = n; j < NR; ++j) target[j] = 0.0F;
  }
}

}  // namespace

void tile_portable_4x8(int64_t K, const float* A, int64_t a_row_stride, int64_t a_k_stride,
                       const float* B, int64_t b_stride, float* C, int64_t ldc, int64_t m,
                       int64_t n, float alpha, float beta) {
  constexpr int64_t MR = 4;
  constexpr int64_t NR = 8;
  float sum[MR][NR] = {};  // [MR, NR], the tile's accumulators
  for (int64_t k = 0; k < K; ++k) {
    const float* a = A + k * a_k_stride;  // step k of the MR rows, a_row_stride apart
    const float* b = B + k * b_stride;    // [NR]
    float a_k[MR];  // step k of the band, gathered first so the sums below vectorise
    for (int64_t r = 0; r < MR; ++r) a_k[r] = a[r * a_row_stride];
    for (int64_t r = 0; r < MR; ++r) {
      for (int64_t j = 0; j < NR; ++j) sum[r][j] += a_k[r] * b[j];
    }
  }
  for (int64_t r = 0; r < m; ++r) {
    float* c = C + r * ldc;  // [n]
    for (int64_t j = 0; j < n; ++j) {
      c[j] = beta == 0.0F ? alpha * sum[r][j] : alpha * sum[r][j] + beta * c[j];
    }
  }
}

const std::vector<GemmVariant>& gemm_variants() {
  static const std::vector<GemmVariant> variants = [] {
    const GemmVariant all[] = {
#if defined(__x86_64__)
      {"avx512", {8, 32, tile_avx512_8x32}, {8, 16, tile_avx512_8x16}, 6, 4, dot_avx512_6x4},
      {"avx2", {6, 16, tile_avx2_6x16}, {6, 8, tile_avx2_6x8}, 3, 4, dot_avx2_3x4},
#endif
      {"portable", {4, 8, tile_portable_4x8}, {4, 8, tile_portable_4x8}, 0, 0, nullptr},
    };
    std::vector<GemmVariant> supported;
    for (const GemmVariant& variant : all) {
      if (cpu_supports(variant.name)) supported.push_back(variant);
    }
    return supported;
  }();
  return variants;
}

const GemmVariant& best_gemm_variant() { return gemm_variants().front(); }

void gemm_packed(const GemmVariant& variant, bool trans_a, bool trans_b, int64_t M, int64_t N,
                 int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                 float beta, float* C, int64_t ldc) {
  if (variant.dot != nullptr && !trans_a && trans_b && K >= kDotMinK) {
    for (int64_t i0 = 0; i0 < M; i0 += variant.dr) {
      for (int64_t j0 = 0; j0 < N; j0 += variant.dc) {
        variant.dot(K, A + i0 * lda, lda, B + j0 * ldb, ldb, C + i0 * ldc + j0, ldc,
                    std::min(variant.dr, M - i0), std::min(variant.dc, N - j0), alpha, beta);
      }
    }
    return;
  }
  const GemmTile& tile = N <= variant.narrow.nr ? variant.narrow : variant.wide;
  const int64_t MR = tile.mr;
  const int64_t NR = tile.nr;
  PackBuffers& buffers = pack_buffers();
  // The strips of op(B): whole ones of an untransposed op(B) in place, the others packed, all
  // up front, into b_packed [strips - in_place, K, NR].
  const int64_t strips = (N + NR - 1) / NR;
  const int64_t in_place = trans_b ? 0 : N / NR;
  float* b_packed = reserve(buffers.b, (strips - in_place) * K * NR);
  for (int64_t s = in_place; s < strips; ++s) {
    pack_b_strip(b_packed + (s - in_place) * K * NR, NR, trans_b, B, ldb, s * NR,
                 std::min(NR, N - s * NR), K);
  }
  // The last band, when partial, packed once into a_panel [K, MR]; whole bands are read in place.
  const int64_t bands = (M + MR - 1) / MR;
  const bool partial_band = M % MR != 0;
  float* a_panel = partial_band ? reserve(buffers.a_panel, K * MR) : nullptr;
  if (partial_band) pack_a_panel(a_panel, MR, trans_a, A, lda, (bands - 1) * MR, M % MR, K);
  auto run_tile = [&](int64_t band, int64_t s) {
    const int64_t i0 = band * MR;
    const int64_t j0 = s * NR;
    const bool packed_band = partial_band && band == bands - 1;
    const float* a = packed_band ? a_panel : trans_a ? A + i0 : A + i0 * lda;
    const int64_t a_row_stride = packed_band ? 1 : trans_a ? 1 : lda;
    const int64_t a_k_stride = packed_band ? MR : trans_a ? lda : 1;
    const float* strip = s < in_place ? B + j0 : b_packed + (s - in_place) * K * NR;
    float* c_tile = C + i0 * ldc + j0;  // [min(MR, M - i0), min(NR, N - j0)], rows ldc apart
    tile.kernel(K, a, a_row_stride, a_k_stride, strip, s < in_place ? ldb : NR, c_tile, ldc,
                std::min(MR, M - i0), std::min(NR, N - j0), alpha, beta);
  };
  // The operand that is larger overall is swept once, in the outer loop; each of its bands or
  // strips then stays in L1 while the inner loop passes the smaller operand (L2) over it. (A
  // convolution's few output channels against a long image row: strips outer.)
  if (M >= N) {
    for (int64_t band = 0; band < bands; ++band) {
      for (int64_t s = 0; s < strips; ++s) run_tile(band, s);
    }
  } else {
    for (int64_t s = 0; s < strips; ++s) {
      for (int64_t band = 0; band < bands; ++band) run_tile(band, s);
    }
  }
}

}  // namespace minidl::kernels
