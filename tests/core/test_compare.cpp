// Comparisons, logical ops, where and masked_fill (core/ops/compare.h).
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"

using namespace minidl;

TEST_CASE("comparisons give 0/1 floats, broadcast, and need no gradient") {
  const Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
  const Tensor row = from_vector({2, 2, 6});
  CHECK(eq(a, row).to_vector() == std::vector<float>{0, 1, 0, 0, 0, 1});
  CHECK(ne(a, row).to_vector() == std::vector<float>{1, 0, 1, 1, 1, 0});
  CHECK(lt(a, row).to_vector() == std::vector<float>{1, 0, 1, 0, 0, 0});
  CHECK(le(a, row).to_vector() == std::vector<float>{1, 1, 1, 0, 0, 1});
  CHECK(gt(a, row).to_vector() == std::vector<float>{0, 0, 0, 1, 1, 0});
  CHECK(ge(a, row).to_vector() == std::vector<float>{0, 1, 0, 1, 1, 1});
  CHECK_FALSE(eq(a, row).requires_grad());
  CHECK((a > 3.0F).to_vector() == std::vector<float>{0, 0, 0, 1, 1, 1});
  CHECK((a <= 2.0F).to_vector() == std::vector<float>{1, 1, 0, 0, 0, 0});
  CHECK((a == row).to_vector() == eq(a, row).to_vector());
  CHECK((a != 2.0F).to_vector() == std::vector<float>{1, 0, 1, 1, 1, 1});
  CHECK((a >= row).to_vector() == ge(a, row).to_vector());
  CHECK((a < row).to_vector() == lt(a, row).to_vector());
}

TEST_CASE("NaN compares false except with ne") {
  const Tensor nan = from_vector({std::nanf("")});
  CHECK(eq(nan, nan).item() == 0.0F);
  CHECK(ne(nan, nan).item() == 1.0F);
  CHECK(lt(nan, 1.0F).item() == 0.0F);
  CHECK(ge(nan, 1.0F).item() == 0.0F);
}

TEST_CASE("accuracy is one expression") {
  const Tensor logits = from_vector({0.1F, 2.0F, 3.0F, 0.5F, 0.2F, 0.1F}, {3, 2});
  const Tensor targets = from_vector({1, 0, 1});
  CHECK(mean(eq(argmax(logits, 1), targets)).item() == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("logical ops treat non-zero as true") {
  const Tensor a = from_vector({0, 1, 2, 0});
  const Tensor b = from_vector({0, 0, -3, 5});
  CHECK(logical_and(a, b).to_vector() == std::vector<float>{0, 0, 1, 0});
  CHECK(logical_or(a, b).to_vector() == std::vector<float>{0, 1, 1, 1});
  CHECK(logical_not(a).to_vector() == std::vector<float>{1, 0, 0, 1});
}

TEST_CASE("where selects, broadcasts, and sends gradients only to the selected side") {
  const Tensor cond = from_vector({1, 0, 1});
  const Tensor a = from_vector({10, 20, 30}).requires_grad_();
  const Tensor b = from_vector({7}).requires_grad_();  // broadcast
  const Tensor out = where(cond, a, b);
  CHECK(out.to_vector() == std::vector<float>{10, 7, 30});
  sum(out * from_vector({1, 2, 3})).backward();
  CHECK(a.grad().to_vector() == std::vector<float>{1, 0, 3});
  CHECK(b.grad().to_vector() == std::vector<float>{2});  // summed over the broadcast
}

TEST_CASE("where never lets a NaN of the side not selected into the result or the gradient") {
  const Tensor x = from_vector({-1.0F, 4.0F}).requires_grad_();
  const Tensor safe = where(x > 0.0F, sqrt(x), zeros({2}));  // sqrt(-1) is NaN, not selected
  CHECK(safe.to_vector() == std::vector<float>{0, 2});
  sum(safe).backward();
  const std::vector<float> grad = x.grad().to_vector();
  CHECK(grad[1] == doctest::Approx(0.25));
  // the NaN side's gradient is 0 times sqrt's derivative at -1, which is NaN itself: PyTorch
  // gives NaN here too; only the forward is protected
  CHECK(std::isnan(grad[0]));
}

TEST_CASE("masked_fill replaces masked elements and passes gradient to the others") {
  const Tensor t = from_vector({1, 2, 3, 4}, {2, 2}).requires_grad_();
  const Tensor mask = from_vector({0, 1});  // broadcast over rows: mask column 1
  const Tensor out = masked_fill(t, mask, -1e9F);
  CHECK(out.to_vector() == std::vector<float>{1, -1e9F, 3, -1e9F});
  sum(out).backward();
  CHECK(t.grad().to_vector() == std::vector<float>{1, 0, 1, 0});
}

TEST_CASE("bad arguments to where and masked_fill are refused with the shapes") {
  CHECK_THROWS_WITH_AS(where(ones({2}), ones({3}), ones({2})),
                       doctest::Contains("where: shapes [2] and [3] cannot be broadcast"), Error);
  CHECK_THROWS_WITH_AS(masked_fill(ones({2}), ones({2, 2}), 0.0F),
                       "masked_fill: mask of shape [2, 2] does not broadcast to the tensor's "
                       "shape [2]",
                       Error);
}
