// Bad input gives a minidl::Error that names the op and the offending shapes or values.
#include <doctest/doctest.h>

#include "minidl.h"

using namespace minidl;

TEST_CASE("incompatible broadcast names the op and both shapes") {
  CHECK_THROWS_WITH_AS(ones({2, 3}) + ones({4}),
                       "add: shapes [2, 3] and [4] cannot be broadcast (dim 1: 3 vs 4)", Error);
  CHECK_THROWS_WITH_AS(ones({2}) * ones({3}), doctest::Contains("mul: shapes [2] and [3]"), Error);
}

TEST_CASE("matmul inner-dimension mismatch names both shapes") {
  CHECK_THROWS_WITH_AS(matmul(ones({64, 784}), ones({128, 10})),
                       "matmul: inner dimensions differ: [64, 784] @ [128, 10]", Error);
  CHECK_THROWS_WITH_AS(matmul(ones({2, 3, 4}), ones({3, 5, 2})),
                       doctest::Contains("matmul: inner dimensions differ"), Error);
  CHECK_THROWS_WITH_AS(matmul(ones({2, 2, 3}), ones({3, 3, 4})),
                       doctest::Contains("matmul: shapes [2] and [3] cannot be broadcast"), Error);
}

TEST_CASE("reshape to a different element count names both shapes and counts") {
  CHECK_THROWS_WITH_AS(ones({2, 3}).reshape({4, 2}),
                       "reshape: shape [4, 2] has 8 elements but the input [2, 3] has 6", Error);
  CHECK_THROWS_WITH_AS(ones({2, 3}).reshape({-1, 4}), doctest::Contains("cannot infer"), Error);
  CHECK_THROWS_WITH_AS(ones({2, 3}).transpose(0, 1).view({6}), doctest::Contains("use reshape"),
                       Error);
}

TEST_CASE("dim out of range names the op, the dim and the valid range") {
  CHECK_THROWS_WITH_AS(sum(ones({2, 3}), {2}),
                       "sum: dim 2 out of range for a tensor of 2 dims (expected -2..1)", Error);
  CHECK_THROWS_WITH_AS(ones({2}).transpose(0, 3), doctest::Contains("transpose: dim 3"), Error);
  CHECK_THROWS_WITH_AS(softmax(ones({2}), -2), doctest::Contains("softmax: dim -2"), Error);
  CHECK_THROWS_WITH_AS(ones({2, 3}).squeeze(2), doctest::Contains("squeeze: dim 2"), Error);
}

TEST_CASE("index out of range names the index and the size") {
  CHECK_THROWS_WITH_AS(index_select(ones({3, 2}), 0, from_vector({0, 3})),
                       "index_select: index 3 out of range for dim 0 of shape [3, 2] (size 3)",
                       Error);
  CHECK_THROWS_WITH_AS(index_select(ones({3}), 0, from_vector({0.5F})),
                       doctest::Contains("not a whole number"), Error);
  CHECK_THROWS_WITH_AS(ones({4}).narrow(0, 3, 2), doctest::Contains("narrow: range [3, 5)"), Error);
  CHECK_THROWS_WITH_AS(ones({2, 2}).at({0, 5}), doctest::Contains("at: index 5 out of range"),
                       Error);
}

TEST_CASE("backward of a non-scalar without a gradient asks for one") {
  Tensor y = ones({2, 2}).requires_grad_() * 2.0F;
  CHECK_THROWS_WITH_AS(y.backward(),
                       "backward: output of shape [2, 2] is not a scalar; pass a gradient of that "
                       "shape",
                       Error);
  CHECK_THROWS_WITH_AS(y.backward(ones({3})), doctest::Contains("gradient of shape [3]"), Error);
}

TEST_CASE("other bad arguments are reported") {
  CHECK_THROWS_WITH_AS(cat({ones({2, 2}), ones({2, 3})}, 0),
                       doctest::Contains("cat: tensor 1 has shape [2, 3]"), Error);
  CHECK_THROWS_WITH_AS(ones({2, 3}).permute({0, 0}), doctest::Contains("not a permutation"), Error);
  CHECK_THROWS_WITH_AS(ones({2, 3}).expand({4, 3}), doctest::Contains("cannot expand shape [2, 3]"),
                       Error);
  CHECK_THROWS_WITH_AS(clamp(ones({1}), 2.0F, 1.0F), doctest::Contains("clamp: low 2"), Error);
  CHECK_THROWS_WITH_AS(from_vector({1, 2, 3}, {2, 2}), doctest::Contains("from_vector: 3 values"),
                       Error);
  CHECK_THROWS_WITH_AS(var(ones({1})), doctest::Contains("degrees of freedom"), Error);
  CHECK_THROWS_WITH_AS(Tensor().shape(), doctest::Contains("undefined tensor"), Error);
}
