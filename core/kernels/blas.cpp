// sgemm: the size rule that picks minidl's kernels or OpenBLAS, the split of large products
// across minidl's threads, and the only calls into OpenBLAS (cblas.h). Checks that every size
// fits BLAS's int before a call, keeps OpenBLAS single-threaded, and warns once when OpenBLAS
// runs kernels for an older CPU than this one.
#include "core/kernels/blas.h"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <limits>

#include "core/error.h"
#include "core/kernels/cpu_features.h"
#include "core/kernels/gemm_kernels.h"
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

// A GEMM below this many floating-point operations runs on one thread. Splitting a product
// also moves data between the cores' caches: the half of C a worker wrote is read next by the
// calling thread (the optimizer, the next layer), and the half of an operand it read was last
// written there. On the Zen 5 development machine (~220 GFLOP/s per core) that traffic cost
// more than the halved compute for products of up to ~16 MFLOP (~75 us on one core): with a
// limit of 1 MFLOP the MNIST MLP's epoch took 0.40-0.58 s at 2 threads against 0.25 s at 1, and
// LeNet-5's 1.58-1.65 s against 1.28-1.33 s with this limit (scripts/bench.sh, docs/performance.md).
std::atomic<double> split_flops{3.2e7};

// Products with more multiply-adds than this go to OpenBLAS. Measured with bench_gemm on the
// development machine (Zen 4, docs/performance.md): minidl's AVX-512 kernel matches or beats
// OpenBLAS's Cooper Lake kernels on cubes up to 512 (100-115 against 92-112 GFLOP/s) and falls
// behind from 768 on (60 against 68 GFLOP/s at 768, 36 against 63 at 1024: it does not block K
// or pack for the caches). So every product of up to a few hundred in each dimension, all those
// of LeNet-5, the MNIST MLP and the CIFAR-shaped CNN, runs on minidl's kernels whatever OpenBLAS
// thinks the CPU is.
constexpr double kOpenBlasMultiplyAdds = 512.0 * 512.0 * 512.0;

void warn_once_if_blas_is_slow() {
  static const bool warned = [] {
    const std::string warning =
        slow_blas_warning(openblas_get_corename(), cpu_supports("avx2"), cpu_supports("avx512"));
    if (!warning.empty()) std::fprintf(stderr, "%s\n", warning.c_str());
    return true;
  }();
  (void)warned;
}

void call_openblas(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                   const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
                   int64_t ldc) {
  // OpenBLAS stays single-threaded: minidl's own pool does the splitting (see sgemm_with), so
  // there is one pool of threads, not two spinning against each other.
  static const bool single_threaded = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)single_threaded;
  warn_once_if_blas_is_slow();
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, to_blas_int(M, "M"), to_blas_int(N, "N"),
              to_blas_int(K, "K"), alpha, A, to_blas_int(lda, "lda"), B, to_blas_int(ldb, "ldb"),
              beta, C, to_blas_int(ldc, "ldc"));
}

// One block of C on the calling thread, on `variant` or (null) OpenBLAS.
void sgemm_block(const GemmVariant* variant, bool trans_a, bool trans_b, int64_t M, int64_t N,
                 int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                 float beta, float* C, int64_t ldc) {
  if (variant == nullptr) {
    call_openblas(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    gemm_packed(*variant, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

bool gemm_uses_openblas(int64_t M, int64_t N, int64_t K) {
  return static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K) >
         kOpenBlasMultiplyAdds;
}

double gemm_split_flops() { return split_flops.load(); }

double set_gemm_split_flops(double flops) {
  MINIDL_CHECK(flops >= 0.0, "set_gemm_split_flops: need a count of 0 or more, got {}", flops);
  return split_flops.exchange(flops);
}

void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
           int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  const GemmVariant* variant = gemm_uses_openblas(M, N, K) ? nullptr : &best_gemm_variant();
  sgemm_with(variant, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void sgemm_with(const GemmVariant* variant, bool trans_a, bool trans_b, int64_t M, int64_t N,
                int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                float beta, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    scale_output(M, N, beta, C, ldc);
    return;
  }
  const double flops =
      2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
  const int64_t threads = flops >= split_flops.load() ? num_threads() : 1;
  if (threads == 1) {
    sgemm_block(variant, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else if (N >= M) {  // one block of C's columns per thread: columns [j0, j1) of op(B) and C
    const int64_t block = (N + threads - 1) / threads;
    parallel_for(0, N, block, [&](int64_t j0, int64_t j1) {
      sgemm_block(variant, trans_a, trans_b, M, j1 - j0, K, alpha, A, lda,
                  trans_b ? B + j0 * ldb : B + j0, ldb, beta, C + j0, ldc);
    });
  } else {  // one block of C's rows per thread: rows [i0, i1) of op(A) and C
    const int64_t block = (M + threads - 1) / threads;
    parallel_for(0, M, block, [&](int64_t i0, int64_t i1) {
      sgemm_block(variant, trans_a, trans_b, i1 - i0, N, K, alpha, trans_a ? A + i0 : A + i0 * lda,
                  lda, B, ldb, beta, C + i0 * ldc, ldc);
    });
  }
}

std::string slow_blas_warning(std::string_view corename, bool cpu_has_avx2_fma,
                              bool cpu_has_avx512) {
  // OpenBLAS's x86-64 cores whose GEMM kernels use AVX2 and FMA (those of DYNAMIC_ARCH builds
  // up to 0.3.2x); on a CPU with AVX2+FMA any other core runs SSE- or AVX-era kernels, 2-3x
  // slower, which is what a misdetected CPU gets (often Prescott, the generic fallback).
  static constexpr std::string_view kFmaCores[] = {"haswell",        "skylakex", "cooperlake",
                                                   "sapphirerapids", "zen",      "excavator"};
  if (!cpu_has_avx2_fma) return {};
  const std::string core = lower_case(corename);
  if (std::find(std::begin(kFmaCores), std::end(kFmaCores), core) != std::end(kFmaCores)) {
    return {};
  }
  const char* fix = cpu_has_avx512 ? "SkylakeX" : "Haswell";
  return fmt::format(
      "minidl: warning: OpenBLAS runs its {} kernels on this {} CPU, so large matrix products "
      "are several times slower than they could be; set OPENBLAS_CORETYPE={} to fix this",
      corename, cpu_has_avx512 ? "AVX-512" : "AVX2", fix);
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
