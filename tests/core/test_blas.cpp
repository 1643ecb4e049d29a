// kernels::sgemm against the naive reference gemm: every kernel variant this CPU runs (and
// OpenBLAS) on odd shapes, every combination of transpose flags, alpha and beta, padded leading
// dimensions; the split of large products across threads, by columns and by rows; and the
// warning about an OpenBLAS that runs kernels for an older CPU.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/kernels/blas.h"
#include "core/kernels/gemm_kernels.h"
#include "minidl.h"

using namespace minidl;

namespace {

std::vector<float> random_values(int64_t count, Generator& g) {
  std::vector<float> out(static_cast<size_t>(count));
  for (float& v : out) v = g.uniform(-1.0F, 1.0F);
  return out;
}

// The implementations a test can pick: every variant this CPU runs, then OpenBLAS (null).
std::vector<const kernels::GemmVariant*> implementations() {
  std::vector<const kernels::GemmVariant*> out;
  for (const kernels::GemmVariant& variant : kernels::gemm_variants()) out.push_back(&variant);
  out.push_back(nullptr);
  return out;
}

const char* name_of(const kernels::GemmVariant* variant) {
  return variant != nullptr ? variant->name : "openblas";
}

// C = alpha * op(A) @ op(B) + beta * C on `variant` against gemm_ref. With beta = 0, C starts
// as NaN (it must not be read). Every leading dimension is wider than its matrix.
void check_against_reference(const kernels::GemmVariant* variant, int64_t M, int64_t N, int64_t K,
                             bool trans_a, bool trans_b, float alpha, float beta) {
  Generator g(static_cast<uint64_t>(M * 100 + N * 10 + K));
  const int64_t lda = (trans_a ? M : K) + 2;
  const int64_t ldb = (trans_b ? K : N) + 1;
  const int64_t ldc = N + 3;
  std::vector<float> A = random_values((trans_a ? K : M) * lda, g);
  std::vector<float> B = random_values((trans_b ? N : K) * ldb, g);
  std::vector<float> C = random_values(M * ldc, g);
  if (beta == 0.0F) C.assign(C.size(), std::numeric_limits<float>::quiet_NaN());
  std::vector<float> expected = C;
  kernels::sgemm_with(variant, trans_a, trans_b, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta,
                      C.data(), ldc);
  kernels::gemm_ref(trans_a, trans_b, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta,
                    expected.data(), ldc);
  int64_t wrong = 0;
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      const float got = C[static_cast<size_t>(i * ldc + j)];
      const float want = expected[static_cast<size_t>(i * ldc + j)];
      if (!(std::fabs(got - want) <=
            1e-5F * (1.0F + std::fabs(want) + std::sqrt(static_cast<float>(K))))) {
        if (wrong++ == 0) {
          INFO(name_of(variant) << " M=" << M << " N=" << N << " K=" << K << " trans_a=" << trans_a
                                << " trans_b=" << trans_b << " alpha=" << alpha << " beta=" << beta
                                << " first wrong at (" << i << ", " << j << ")");
          CHECK(got == doctest::Approx(want));
        }
      }
    }
    // Padding between rows of C is never written.
    for (int64_t j = N; j < ldc && i + 1 < M; ++j) {
      const auto at = static_cast<size_t>(i * ldc + j);
      CHECK(std::isnan(C[at]) == std::isnan(expected[at]));
      if (!std::isnan(C[at])) CHECK(C[at] == expected[at]);
    }
  }
  CHECK(wrong == 0);
}

}  // namespace

TEST_CASE("the GEMM variants are listed fastest first, the portable one always last") {
  const auto& variants = kernels::gemm_variants();
  REQUIRE_FALSE(variants.empty());
  CHECK(std::string(variants.back().name) == "portable");
  CHECK(&kernels::best_gemm_variant() == &variants.front());
}

TEST_CASE("every GEMM variant and OpenBLAS match the reference on odd shapes, every transpose") {
  // Tiles and strips cut at every edge (1, 7, 17, 33, 129), the narrow tile (N <= 16), the
  // dot-product kernel (A @ B^T with K >= 64, with and without a K tail), short and long K.
  const std::vector<std::vector<int64_t>> shapes = {
      {1, 1, 1},    {7, 17, 33},  {33, 7, 17}, {17, 33, 7},   {129, 33, 17}, {17, 129, 65},
      {6, 25, 576}, {9, 16, 100}, {13, 8, 64}, {40, 70, 129}, {1, 129, 7},   {129, 1, 33}};
  for (const kernels::GemmVariant* variant : implementations()) {
    for (const auto& s : shapes) {
      for (bool trans_a : {false, true}) {
        for (bool trans_b : {false, true}) {
          check_against_reference(variant, s[0], s[1], s[2], trans_a, trans_b, 1.0F, 0.0F);
          check_against_reference(variant, s[0], s[1], s[2], trans_a, trans_b, -0.5F, 2.0F);
          check_against_reference(variant, s[0], s[1], s[2], trans_a, trans_b, 2.0F, 1.0F);
        }
      }
    }
  }
}

TEST_CASE("sgemm matches the reference on both sides of the OpenBLAS crossover") {
  CHECK_FALSE(kernels::gemm_uses_openblas(512, 512, 512));
  CHECK(kernels::gemm_uses_openblas(513, 512, 512));
  set_num_threads(1);
  for (const auto& s : std::vector<std::vector<int64_t>>{{33, 70, 129}, {520, 513, 514}}) {
    Generator g(5);
    std::vector<float> A = random_values(s[0] * s[2], g);
    std::vector<float> B = random_values(s[2] * s[1], g);
    std::vector<float> C(static_cast<size_t>(s[0] * s[1]));
    std::vector<float> expected(C.size());
    kernels::sgemm(false, false, s[0], s[1], s[2], 1.0F, A.data(), s[2], B.data(), s[1], 0.0F,
                   C.data(), s[1]);
    kernels::gemm_ref(false, false, s[0], s[1], s[2], 1.0F, A.data(), s[2], B.data(), s[1], 0.0F,
                      expected.data(), s[1]);
    for (size_t i = 0; i < C.size(); i += 97) CHECK(C[i] == doctest::Approx(expected[i]));
  }
}

TEST_CASE("large sgemms split across 2 threads, by columns and by rows, match the reference") {
  // Above a split size lowered to 1 MFLOP, odd split dimensions: N >= M splits C's columns
  // (301 = 151 + 150), M > N its rows; each call at 2 threads runs one split.
  const double default_split = kernels::set_gemm_split_flops(1e6);
  for (int64_t threads : {1, 2}) {
    set_num_threads(threads);
    for (const kernels::GemmVariant* variant :
         {&kernels::best_gemm_variant(), static_cast<const kernels::GemmVariant*>(nullptr)}) {
      for (bool trans_a : {false, true}) {
        for (bool trans_b : {false, true}) {
          INFO(name_of(variant) << " threads=" << threads);
          int64_t before = parallel_split_count();
          check_against_reference(variant, 40, 301, 170, trans_a, trans_b, 1.0F, 0.0F);
          CHECK(parallel_split_count() - before == threads - 1);
          before = parallel_split_count();
          check_against_reference(variant, 301, 40, 170, trans_a, trans_b, -0.5F, 2.0F);
          CHECK(parallel_split_count() - before == threads - 1);
        }
      }
    }
  }
  set_num_threads(2);
  kernels::set_gemm_split_flops(default_split);
}

TEST_CASE("sgemm splits products from gemm_split_flops on, and the knob refuses bad counts") {
  set_num_threads(2);
  const double default_split = kernels::gemm_split_flops();
  CHECK(default_split == 3.2e7);
  // 64 x 128 x 784 (12.8 MFLOP, the MNIST MLP's weight gradient) stays on one thread ...
  int64_t before = parallel_split_count();
  check_against_reference(&kernels::best_gemm_variant(), 64, 128, 784, false, false, 1.0F, 0.0F);
  CHECK(parallel_split_count() == before);
  // ... and splits once the knob is below its size.
  CHECK(kernels::set_gemm_split_flops(1.28e7) == default_split);
  before = parallel_split_count();
  check_against_reference(&kernels::best_gemm_variant(), 64, 128, 784, false, false, 1.0F, 0.0F);
  CHECK(parallel_split_count() == before + 1);
  CHECK_THROWS_WITH_AS(kernels::set_gemm_split_flops(-1.0),
                       doctest::Contains("set_gemm_split_flops: need a count of 0 or more, got -1"),
                       Error);
  CHECK_THROWS_AS(kernels::set_gemm_split_flops(std::nan("")), Error);
  CHECK(kernels::set_gemm_split_flops(default_split) == 1.28e7);
}

TEST_CASE("sgemm with K = 0 scales C by beta") {
  std::vector<float> C = {1, 2, 3, 4};
  kernels::sgemm(false, false, 2, 2, 0, 1.0F, nullptr, 1, nullptr, 2, 0.5F, C.data(), 2);
  CHECK(C == std::vector<float>{0.5F, 1, 1.5F, 2});
  kernels::sgemm(false, false, 2, 2, 0, 1.0F, nullptr, 1, nullptr, 2, 0.0F, C.data(), 2);
  CHECK(C == std::vector<float>{0, 0, 0, 0});
}

TEST_CASE("matmul on transposed views agrees with the reference gemm") {
  Generator g(9);
  Tensor a = randn({6, 4}, g);
  Tensor b = randn({5, 6}, g);
  Tensor out = matmul(a.transpose(0, 1), b.transpose(0, 1));  // [4, 5] via transpose flags
  std::vector<float> expected(20);
  kernels::gemm_ref(true, true, 4, 5, 6, 1.0F, a.data(), 4, b.data(), 6, 0.0F, expected.data(), 5);
  std::vector<float> got = out.to_vector();
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == doctest::Approx(expected[i]));
}

TEST_CASE("a slow OpenBLAS core on a newer CPU gets one warning that names the fix") {
  const std::string avx512 = kernels::slow_blas_warning("Prescott", true, true);
  CHECK(avx512.find("Prescott") != std::string::npos);
  CHECK(avx512.find("OPENBLAS_CORETYPE=SkylakeX") != std::string::npos);
  CHECK(avx512.find('\n') == std::string::npos);
  CHECK(kernels::slow_blas_warning("Sandybridge", true, false).find("OPENBLAS_CORETYPE=Haswell") !=
        std::string::npos);
  // Cores with AVX2+FMA kernels, in any case, and CPUs without AVX2 get none.
  CHECK(kernels::slow_blas_warning("Haswell", true, true).empty());
  CHECK(kernels::slow_blas_warning("COOPERLAKE", true, true).empty());
  CHECK(kernels::slow_blas_warning("Zen", true, false).empty());
  CHECK(kernels::slow_blas_warning("Prescott", false, false).empty());
}
