// Empty and degenerate tensors follow PyTorch (1.13) where it gives a result: reductions and
// softmax over non-empty dims of an empty tensor give empty results, sums of nothing are 0,
// a product with an inner size of 0 is zeros. Extreme sizes and indices that fit are served
// exactly (indices compared as integers, steps past a dim's size).
#include <doctest/doctest.h>

#include <limits>

#include "minidl.h"

using namespace minidl;

TEST_CASE("sum of an empty tensor is 0, and over an empty dim a tensor of zeros") {
  CHECK(sum(zeros({0})).item() == 0.0F);
  Tensor summed = sum(zeros({0, 3}), {0});
  CHECK(summed.shape() == Shape{3});
  CHECK(summed.to_vector() == std::vector<float>{0, 0, 0});
}

TEST_CASE("reductions of an empty tensor over non-empty dims give an empty result") {
  const Tensor empty = zeros({0, 3});
  CHECK(max(empty, {1}).shape() == Shape{0});
  CHECK(min(empty, {1}, true).shape() == Shape{0, 1});
  CHECK(mean(empty, {1}).shape() == Shape{0});
  CHECK(var(empty, {1}).shape() == Shape{0});
  CHECK(argmax(empty, 1).shape() == Shape{0});
  CHECK(argmax(zeros({3, 0}), 0).shape() == Shape{0});  // [outer 1, n 3, inner 0]
  CHECK(argmax(zeros({2, 3, 0}), 1, true).shape() == Shape{2, 1, 0});
}

TEST_CASE("max over non-empty dims of an empty tensor backpropagates an empty gradient") {
  Tensor x = zeros({0, 3}).requires_grad_();
  sum(max(x, {1})).backward();
  CHECK(x.grad().shape() == Shape{0, 3});
}

TEST_CASE("softmax and log_softmax of an empty tensor are empty, along any dim") {
  CHECK(softmax(zeros({3, 0}), 0).shape() == Shape{3, 0});
  CHECK(softmax(zeros({3, 0}), 1).shape() == Shape{3, 0});
  CHECK(softmax(zeros({0, 3}), 1).shape() == Shape{0, 3});
  CHECK(log_softmax(zeros({2, 0, 4}), 2).shape() == Shape{2, 0, 4});
}

TEST_CASE("linear and matmul with an inner size of 0 give zeros (plus the bias)") {
  Tensor out = linear(zeros({2, 0}), zeros({3, 0}), ones({3}));
  CHECK(out.shape() == Shape{2, 3});
  CHECK(out.to_vector() == std::vector<float>(6, 1.0F));
  CHECK(matmul(zeros({2, 0}), zeros({0, 3})).to_vector() == std::vector<float>(6, 0.0F));
}

TEST_CASE("an index above 2^24 is compared as an integer: the last of 2^24 + 1 rows is valid") {
  const int64_t rows = (int64_t{1} << 24) + 1;
  Tensor column = zeros({rows});
  column.at({rows - 1}) = 7.0F;
  // The float 2^24 is the last row's index; as floats, 2^24 < float(2^24 + 1) = 2^24 is false.
  Tensor picked = index_select(column, 0, from_vector({16777216.0F}));
  CHECK(picked.item() == 7.0F);
  Tensor logits = zeros({1, rows});
  CHECK(nll_loss(logits, from_vector({16777216.0F}), {.reduction = Reduction::Mean}).item() ==
        0.0F);
}

TEST_CASE("a slice step past the dim's size takes the first element, whatever its size") {
  const int64_t huge = std::numeric_limits<int64_t>::max();
  Tensor row = arange(5.0F).reshape({1, 5});
  Tensor sliced = row.slice(1, 1, 5, huge);
  CHECK(sliced.shape() == Shape{1, 1});
  CHECK(sliced.item() == 1.0F);
  CHECK(row.slice(1, 0, huge, 2).to_vector() == std::vector<float>{0, 2, 4});
}

TEST_CASE("an arange whose count fits is exact even near float precision limits") {
  CHECK(arange(0.0F, 10.0F, 3.0F).to_vector() == std::vector<float>{0, 3, 6, 9});
  CHECK(arange(5.0F, 0.0F, 1.0F).numel() == 0);  // a step away from the end: nothing
}
