// kernels::sgemm (OpenBLAS) against the naive reference gemm on odd shapes and every
// combination of transpose flags, alpha and beta.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/kernels/blas.h"
#include "minidl.h"

using namespace minidl;

namespace {

std::vector<float> random_values(int64_t count, Generator& g) {
  std::vector<float> out(static_cast<size_t>(count));
  for (float& v : out) v = g.uniform(-1.0F, 1.0F);
  return out;
}

void check_against_reference(int64_t M, int64_t N, int64_t K, bool trans_a, bool trans_b,
                             float alpha, float beta) {
  Generator g(static_cast<uint64_t>(M * 100 + N * 10 + K));
  // A is stored [M,K] or [K,M]; pad the leading dimensions to exercise lda/ldb/ldc.
  const int64_t lda = (trans_a ? M : K) + 2;
  const int64_t ldb = (trans_b ? K : N) + 1;
  const int64_t ldc = N + 3;
  std::vector<float> A = random_values((trans_a ? K : M) * lda, g);
  std::vector<float> B = random_values((trans_b ? N : K) * ldb, g);
  std::vector<float> C = random_values(M * ldc, g);
  std::vector<float> expected = C;
  kernels::sgemm(trans_a, trans_b, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, C.data(),
                 ldc);
  kernels::gemm_ref(trans_a, trans_b, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta,
                    expected.data(), ldc);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      INFO("M=" << M << " N=" << N << " K=" << K << " trans_a=" << trans_a << " trans_b=" << trans_b
                << " at (" << i << ", " << j << ")");
      CHECK(C[static_cast<size_t>(i * ldc + j)] ==
            doctest::Approx(expected[static_cast<size_t>(i * ldc + j)]).epsilon(1e-5).scale(1.0));
    }
  }
}

}  // namespace

TEST_CASE("sgemm matches the reference on odd shapes for every transpose combination") {
  const std::vector<std::vector<int64_t>> shapes = {{1, 1, 1},  {7, 13, 5}, {13, 7, 5},
                                                    {1, 9, 17}, {16, 1, 3}, {33, 31, 29}};
  for (const auto& s : shapes) {
    for (bool trans_a : {false, true}) {
      for (bool trans_b : {false, true}) {
        check_against_reference(s[0], s[1], s[2], trans_a, trans_b, 1.0F, 0.0F);
        check_against_reference(s[0], s[1], s[2], trans_a, trans_b, -0.5F, 2.0F);
      }
    }
  }
}

TEST_CASE("large sgemms split across 2 threads match the reference, by columns and by rows") {
  // Above sgemm's 4 MFLOP threshold: N >= M splits C's columns, M > N splits its rows.
  for (int64_t threads : {1, 2}) {
    set_num_threads(threads);
    for (bool trans_a : {false, true}) {
      for (bool trans_b : {false, true}) {
        check_against_reference(40, 301, 170, trans_a, trans_b, 1.0F, 0.0F);
        check_against_reference(301, 40, 170, trans_a, trans_b, -0.5F, 2.0F);
      }
    }
  }
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
