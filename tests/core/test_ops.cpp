// Forward values of the core ops on small hand-checked cases.
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"

using namespace minidl;

namespace {
std::vector<float> values(const Tensor& t) { return t.to_vector(); }
}  // namespace

TEST_CASE("binary ops broadcast like NumPy") {
  Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor row = from_vector({10, 20, 30}, {3});
  Tensor col = from_vector({100, 200}, {2, 1});
  CHECK(values(a + row) == std::vector<float>{11, 22, 33, 14, 25, 36});
  CHECK(values(a - col) == std::vector<float>{-99, -98, -97, -196, -195, -194});
  CHECK((col * row).shape() == Shape{2, 3});
  CHECK(values(col * row) == std::vector<float>{1000, 2000, 3000, 2000, 4000, 6000});
  CHECK(values(row / from_vector({10}, {1})) == std::vector<float>{1, 2, 3});
  CHECK((ones({4, 1, 3}) + ones({2, 1})).shape() == Shape{4, 2, 3});
}

TEST_CASE("binary ops read transposed and sliced operands correctly") {
  Tensor a = arange(6).reshape({2, 3});
  Tensor t = a.transpose(0, 1);  // [[0,3],[1,4],[2,5]]
  CHECK(values(t + t) == std::vector<float>{0, 6, 2, 8, 4, 10});
  Tensor s = arange(10).slice(0, 1, 10, 3);  // 1, 4, 7
  CHECK(values(s * 2.0F) == std::vector<float>{2, 8, 14});
}

TEST_CASE("scalar ops and operators on both sides") {
  Tensor a = from_vector({1, 2, 4});
  CHECK(values(a + 1.0F) == std::vector<float>{2, 3, 5});
  CHECK(values(1.0F + a) == std::vector<float>{2, 3, 5});
  CHECK(values(a - 1.0F) == std::vector<float>{0, 1, 3});
  CHECK(values(1.0F - a) == std::vector<float>{0, -1, -3});
  CHECK(values(a * 3.0F) == std::vector<float>{3, 6, 12});
  CHECK(values(a / 2.0F) == std::vector<float>{0.5F, 1, 2});
  CHECK(values(4.0F / a) == std::vector<float>{4, 2, 1});
  CHECK(values(-a) == std::vector<float>{-1, -2, -4});
}

TEST_CASE("elementwise math functions") {
  Tensor a = from_vector({-2, -0.5F, 0.5F, 2});
  CHECK(values(abs(a)) == std::vector<float>{2, 0.5F, 0.5F, 2});
  CHECK(values(relu(a)) == std::vector<float>{0, 0, 0.5F, 2});
  CHECK(values(leaky_relu(a, 0.1F)) == std::vector<float>{-0.2F, -0.05F, 0.5F, 2});
  CHECK(values(clamp(a, -1.0F, 1.0F)) == std::vector<float>{-1, -0.5F, 0.5F, 1});
  CHECK(values(pow(from_vector({2, 3}), 3.0F)) == std::vector<float>{8, 27});
  CHECK(values(sqrt(from_vector({4, 9}))) == std::vector<float>{2, 3});
  CHECK(exp(from_vector({1})).item() == doctest::Approx(std::exp(1.0)));
  CHECK(log(from_vector({std::exp(2.0F)})).item() == doctest::Approx(2.0));
  CHECK(tanh(from_vector({0.5F})).item() == doctest::Approx(std::tanh(0.5)));
  CHECK(sigmoid(from_vector({0})).item() == 0.5F);
}

TEST_CASE("sigmoid saturates without overflow for huge inputs") {
  std::vector<float> s = values(sigmoid(from_vector({-1000, 1000})));
  CHECK(s[0] == 0.0F);
  CHECK(s[1] == 1.0F);
}

TEST_CASE("sum, mean, var, max and min over all dims or chosen dims") {
  Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(sum(a).item() == 21.0F);
  CHECK(sum(a).dim() == 0);
  CHECK(values(sum(a, {0})) == std::vector<float>{5, 7, 9});
  CHECK(sum(a, {1}, true).shape() == Shape{2, 1});
  CHECK(values(sum(a, {1}, true)) == std::vector<float>{6, 15});
  CHECK(values(mean(a, {-1})) == std::vector<float>{2, 5});
  CHECK(mean(a).item() == 3.5F);
  CHECK(var(a).item() == doctest::Approx(3.5));                        // unbiased
  CHECK(var(a, {}, false, 0).item() == doctest::Approx(35.0 / 12.0));  // population
  CHECK(values(var(a, {1})) == std::vector<float>{1, 1});
  CHECK(max(a).item() == 6.0F);
  CHECK(values(max(a, {0})) == std::vector<float>{4, 5, 6});
  CHECK(values(min(a, {1}, true)) == std::vector<float>{1, 4});
  CHECK(min(a).item() == 1.0F);
  CHECK(sum(ones({2, 3, 4}), {0, 2}).shape() == Shape{3});
}

TEST_CASE("argmax returns the first maximal index") {
  Tensor a = from_vector({1, 9, 9, 7, 2, 3}, {2, 3});
  CHECK(argmax(a).item() == 1.0F);
  CHECK(values(argmax(a, 1)) == std::vector<float>{1, 0});
  CHECK(values(argmax(a, 0)) == std::vector<float>{1, 0, 0});
  CHECK(argmax(a, 1, true).shape() == Shape{2, 1});
}

TEST_CASE("matmul follows PyTorch's rank rules") {
  Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = from_vector({1, 0, 0, 1, 1, 1}, {3, 2});
  CHECK(values(matmul(a, b)) == std::vector<float>{4, 5, 10, 11});
  Tensor v = from_vector({1, 1, 1});
  CHECK(matmul(a, v).shape() == Shape{2});
  CHECK(values(matmul(a, v)) == std::vector<float>{6, 15});
  CHECK(values(matmul(from_vector({1, 1}), a)) == std::vector<float>{5, 7, 9});
  CHECK(matmul(v, v).item() == 3.0F);
  CHECK(matmul(v, v).dim() == 0);
}

TEST_CASE("batched matmul broadcasts batch dims") {
  Generator g(3);
  Tensor a = randn({2, 1, 4, 3}, g);
  Tensor b = randn({5, 3, 2}, g);
  Tensor out = matmul(a, b);
  CHECK(out.shape() == Shape{2, 5, 4, 2});
  // Compare one batch entry with a 2-D product.
  Tensor expected = matmul(a.narrow(0, 1, 1).reshape({4, 3}), b.narrow(0, 3, 1).reshape({3, 2}));
  std::vector<float> got = values(out.narrow(0, 1, 1).narrow(1, 3, 1));
  std::vector<float> want = values(expected);
  for (size_t i = 0; i < want.size(); ++i) CHECK(got[i] == doctest::Approx(want[i]));
}

TEST_CASE("matmul of transposed views equals matmul of copies") {
  Generator g(4);
  Tensor a = randn({5, 3}, g);
  Tensor b = randn({4, 5}, g);
  std::vector<float> views = values(matmul(a.transpose(0, 1), b.transpose(0, 1)));
  std::vector<float> copies =
      values(matmul(a.transpose(0, 1).contiguous(), b.transpose(0, 1).contiguous()));
  REQUIRE(views.size() == copies.size());
  for (size_t i = 0; i < views.size(); ++i) CHECK(views[i] == doctest::Approx(copies[i]));
  // A strided slice that BLAS cannot read in place is compacted first.
  Tensor every_other = randn({6, 6}, g).slice(1, 0, 6, 2);
  CHECK(matmul(every_other, ones({3, 1})).shape() == Shape{6, 1});
}

TEST_CASE("reshape, flatten, squeeze, unsqueeze and permute") {
  Tensor a = arange(24).reshape({2, 3, 4});
  CHECK(a.reshape({4, -1}).shape() == Shape{4, 6});
  CHECK(a.flatten().shape() == Shape{24});
  CHECK(a.flatten(1).shape() == Shape{2, 12});
  CHECK(ones({1, 3, 1}).squeeze().shape() == Shape{3});
  CHECK(ones({1, 3, 1}).squeeze(0).shape() == Shape{3, 1});
  CHECK(ones({3}).unsqueeze(0).shape() == Shape{1, 3});
  CHECK(ones({3}).unsqueeze(-1).shape() == Shape{3, 1});
  Tensor p = a.permute({2, 0, 1});
  CHECK(p.shape() == Shape{4, 2, 3});
  CHECK(p.at({3, 1, 2}) == a.at({1, 2, 3}));
  CHECK(a.transpose(0, 2).reshape({24}).to_vector()[1] == 12.0F);  // reshape copies a view
  CHECK(a.view({6, 4}).storage() == a.storage());
}

TEST_CASE("slice and narrow select ranges") {
  Tensor a = arange(10);
  CHECK(values(a.slice(0, 2, 5)) == std::vector<float>{2, 3, 4});
  CHECK(values(a.slice(0, -3, 100)) == std::vector<float>{7, 8, 9});
  CHECK(values(a.slice(0, 0, 10, 4)) == std::vector<float>{0, 4, 8});
  CHECK(values(a.narrow(0, 8, 2)) == std::vector<float>{8, 9});
}

TEST_CASE("index_select, cat and stack") {
  Tensor a = arange(6).reshape({3, 2});
  CHECK(values(index_select(a, 0, from_vector({2, 0, 2}))) == std::vector<float>{4, 5, 0, 1, 4, 5});
  CHECK(values(index_select(a, 1, from_vector({1}))) == std::vector<float>{1, 3, 5});
  Tensor c = cat({a, ones({1, 2})}, 0);
  CHECK(c.shape() == Shape{4, 2});
  CHECK(values(cat({a, zeros({3, 1})}, 1)) == std::vector<float>{0, 1, 0, 2, 3, 0, 4, 5, 0});
  Tensor s = stack({ones({2}), zeros({2})}, 1);
  CHECK(s.shape() == Shape{2, 2});
  CHECK(values(s) == std::vector<float>{1, 0, 1, 0});
}

TEST_CASE("softmax and log_softmax are stable for large logits") {
  Tensor logits = from_vector({1000, 1001, 1002, -1000, 0, 1000}, {2, 3});
  std::vector<float> p = values(softmax(logits, 1));
  for (float v : p) CHECK(std::isfinite(v));
  CHECK(p[0] + p[1] + p[2] == doctest::Approx(1.0));
  CHECK(p[2] == doctest::Approx(1.0 / (1.0 + std::exp(-1.0) + std::exp(-2.0))));
  std::vector<float> lp = values(log_softmax(logits, 1));
  CHECK(lp[5] == doctest::Approx(0.0));
  CHECK(lp[3] == doctest::Approx(-2000.0));
  std::vector<float> columns = values(sum(softmax(logits, 0), {0}));
  for (float v : columns) CHECK(v == doctest::Approx(1.0));
}

TEST_CASE("the gradient of pow(x, 0) is 0 everywhere, also at 0, other exponents keep theirs") {
  Tensor x = from_vector({0.0F, 2.0F}).requires_grad_();
  sum(pow(x, 0.0F)).backward();
  CHECK(x.grad().to_vector() == std::vector<float>{0, 0});
  Tensor y = from_vector({0.0F, 2.0F}).requires_grad_();
  sum(pow(y, 1.0F)).backward();
  CHECK(y.grad().to_vector() == std::vector<float>{1, 1});
  Tensor z = from_vector({0.0F, 4.0F}).requires_grad_();
  sum(pow(z, 0.5F)).backward();  // 0.5 / sqrt(z): infinite at 0, as in PyTorch
  CHECK(std::isinf(z.grad().to_vector()[0]));
  CHECK(z.grad().to_vector()[1] == doctest::Approx(0.25));
}

TEST_CASE("relu and clamp keep a NaN instead of turning it into a finite value") {
  const Tensor x = from_vector({std::nanf(""), -1.0F, 2.0F});
  const std::vector<float> r = relu(x).to_vector();
  CHECK(std::isnan(r[0]));
  CHECK(r[1] == 0.0F);
  CHECK(r[2] == 2.0F);
  const std::vector<float> c = clamp(x, -0.5F, 0.5F).to_vector();
  CHECK(std::isnan(c[0]));
  CHECK(c[1] == -0.5F);
  CHECK(c[2] == 0.5F);
}
