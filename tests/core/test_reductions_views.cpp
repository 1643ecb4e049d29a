// Forward values and gradients of std, argmin, max/min along a dim, gather, topk, cumsum, repeat,
// narrow with a negative start and squeeze of a dim that is not 1 (issue 15 part 3), and NaN
// propagation through max, min, argmax and argmin. Expected values are PyTorch 2's outputs for
// the same inputs (torch.std, torch.max(t, dim), torch.topk, torch.cumsum, Tensor.repeat, ...).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "minidl.h"

using namespace minidl;

namespace {

std::vector<float> values(const Tensor& t) { return t.to_vector(); }

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

TEST_CASE("std is the square root of var with the same correction") {
  Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(minidl::std(a).item() == doctest::Approx(1.8708287));  // torch.std(a)
  CHECK(values(minidl::std(a, {1})) == std::vector<float>{1, 1});
  Tensor population = minidl::std(a, {0}, true, 0);  // torch.std(a, 0, correction=0, keepdim=True)
  CHECK(population.shape() == Shape{1, 3});
  CHECK(values(population) == std::vector<float>{1.5F, 1.5F, 1.5F});
}

TEST_CASE("argmin returns the first minimal index") {
  Tensor a = from_vector({4, 1, 1, 7, 2, 0}, {2, 3});
  CHECK(argmin(a).item() == 5.0F);
  CHECK(values(argmin(a, 1)) == std::vector<float>{1, 2});
  CHECK(values(argmin(a, 0)) == std::vector<float>{0, 0, 1});
  CHECK(argmin(a, -1, true).shape() == Shape{2, 1});
}

TEST_CASE("max and min along a dim return values and indices, the gradient to the index only") {
  Tensor b = from_vector({3, 1, 1, 2, 2, 7}, {2, 3}).requires_grad_();
  auto [top, where] = max(b, 1);
  CHECK(values(top) == std::vector<float>{3, 7});
  CHECK(values(where) == std::vector<float>{0, 2});
  sum(top).backward();
  CHECK(values(b.grad()) == std::vector<float>{1, 0, 0, 0, 0, 1});

  Tensor c = from_vector({3, 1, 1, 2, 2, 7}, {2, 3}).requires_grad_();
  auto [low, at] = min(c, 1, true);  // ties at 1, 1 and at 2, 2: the first index only
  CHECK(low.shape() == Shape{2, 1});
  CHECK(values(low) == std::vector<float>{1, 2});
  CHECK(values(at) == std::vector<float>{1, 0});
  sum(low).backward();
  CHECK(values(c.grad()) == std::vector<float>{0, 1, 0, 1, 0, 0});
  // A 0-d tensor is its own maximum at index 0, as torch.max(torch.tensor(4.), 0).
  auto [scalar, scalar_at] = max(from_vector({4}).reshape({}), 0);
  CHECK(scalar.item() == 4.0F);
  CHECK(scalar_at.item() == 0.0F);
  // max(t, {1}) (a list of dims) still reduces without indices and splits ties.
  CHECK(max(c, {1}).shape() == Shape{2});
}

TEST_CASE("gather picks along a dim and adds repeated indices in the gradient") {
  Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
  Tensor picked = gather(a, 1, from_vector({2, 2, 0, 1}, {2, 2}));
  CHECK(values(picked) == std::vector<float>{3, 3, 4, 5});
  sum(picked).backward();
  CHECK(values(a.grad()) == std::vector<float>{0, 0, 2, 1, 1, 0});
}

TEST_CASE("topk selects the k largest or smallest with their indices") {
  Tensor t = from_vector({1, 5, 3, 5, 2, 0, -1, 4, 4, 9}, {2, 5}).requires_grad_();
  auto [largest, largest_at] = topk(t, 3);  // torch.topk(t, 3)
  CHECK(values(largest) == std::vector<float>{5, 5, 3, 9, 4, 4});
  CHECK(values(largest_at) == std::vector<float>{1, 3, 2, 4, 2, 3});
  auto [smallest, smallest_at] = topk(t, 2, -1, false);  // torch.topk(t, 2, largest=False)
  CHECK(values(smallest) == std::vector<float>{1, 2, -1, 0});
  CHECK(values(smallest_at) == std::vector<float>{0, 4, 1, 0});
  auto [down, down_at] = topk(t, 2, 0);  // torch.topk(t, 2, dim=0)
  CHECK(values(down) == std::vector<float>{1, 5, 4, 5, 9, 0, -1, 3, 4, 2});
  CHECK(values(down_at) == std::vector<float>{0, 0, 1, 0, 1, 1, 1, 0, 1, 0});
  auto [unsorted, unsorted_at] = topk(t, 2, -1, true, false);  // in index order
  CHECK(values(unsorted_at) == std::vector<float>{1, 3, 2, 4});
  sum(unsorted).backward();
  CHECK(values(t.grad()) == std::vector<float>{0, 1, 0, 1, 0, 0, 0, 1, 0, 1});
  CHECK(std::get<0>(topk(t, 0)).shape() == Shape{2, 0});
}

TEST_CASE("cumsum runs along a dim and its gradient is the reversed running sum") {
  Tensor c = from_vector({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
  CHECK(values(cumsum(c, 1)) == std::vector<float>{1, 3, 6, 4, 9, 15});
  CHECK(values(cumsum(c, 0)) == std::vector<float>{1, 2, 3, 5, 7, 9});
  sum(mul(cumsum(c, 1), from_vector({1, 0, 2, 3, 1, 1}, {2, 3}))).backward();
  CHECK(values(c.grad()) == std::vector<float>{3, 2, 2, 5, 2, 1});  // PyTorch's c.grad
}

TEST_CASE("repeat tiles along each dim and adds new leading dims") {
  CHECK(values(repeat(from_vector({1, 2}), {2, 3})) ==
        std::vector<float>{1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2});
  Tensor m = from_vector({1, 2, 3, 4}, {2, 2}).requires_grad_();
  Tensor tiled = repeat(m, {1, 2});
  CHECK(tiled.shape() == Shape{2, 4});
  CHECK(values(tiled) == std::vector<float>{1, 2, 1, 2, 3, 4, 3, 4});
  sum(tiled).backward();
  CHECK(values(m.grad()) == std::vector<float>{2, 2, 2, 2});
  CHECK(repeat(m, {0, 1}).shape() == Shape{0, 2});
}

TEST_CASE("narrow counts a negative start from the end") {
  Tensor x = from_vector({0, 1, 2, 3, 4});
  CHECK(values(x.narrow(0, -2, 2)) == std::vector<float>{3, 4});
  CHECK(values(narrow(x, 0, -5, 1)) == std::vector<float>{0});
  CHECK(values(slice(x, 0, -3, -1)) == std::vector<float>{2, 3});
}

TEST_CASE("squeeze of a dim whose size is not 1 returns the tensor unchanged") {
  Tensor row = from_vector({1, 2}, {1, 2});
  CHECK(row.squeeze(1).shape() == Shape{1, 2});
  CHECK(row.squeeze(0).shape() == Shape{2});
}

TEST_CASE("NaN propagates through max, min, argmax and argmin as in PyTorch") {
  Tensor n = from_vector({1, kNaN, 3, kNaN});
  CHECK(std::isnan(max(n).item()));
  CHECK(std::isnan(min(n).item()));
  CHECK(argmax(n).item() == 1.0F);
  CHECK(argmin(n).item() == 1.0F);
  auto [value, index] = max(n, 0);
  CHECK(std::isnan(value.item()));
  CHECK(index.item() == 1.0F);
  Tensor rows = from_vector({kNaN, 1, 2, 3}, {2, 2});
  std::vector<float> row_max = values(max(rows, {1}));
  CHECK(std::isnan(row_max[0]));
  CHECK(row_max[1] == 3.0F);
  // The NaN element receives the gradient of a NaN maximum, as in PyTorch.
  Tensor x = from_vector({1, kNaN, 3}).requires_grad_();
  max(x).backward();
  CHECK(values(x.grad()) == std::vector<float>{0, 1, 0});
  auto [top, top_at] = topk(from_vector({2, kNaN, 5}), 2);  // torch.topk: NaN counts as largest
  CHECK(std::isnan(values(top)[0]));
  CHECK(values(top)[1] == 5.0F);
  CHECK(values(top_at) == std::vector<float>{1, 2});
  CHECK(std::isnan(values(relu(n))[1]));
  CHECK(std::isnan(values(clamp(n, 0.0F, 2.0F))[1]));
}
