// clip_grad_norm and clip_grad_value.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "optim/clip_grad.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

/// Two parameters with gradients [3, 4] and [12].
struct TwoGradients {
  Tensor a = make_param({0.0F, 0.0F});
  Tensor b = make_param({0.0F});
  TwoGradients() {
    a.set_grad(from_vector({3.0F, 4.0F}));
    b.set_grad(from_vector({12.0F}));
  }
  std::vector<Tensor> params() const { return {a, b}; }
};

void check_values(const Tensor& tensor, const std::vector<double>& expected) {
  const std::vector<float> values = tensor.to_vector();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(values[i] == doctest::Approx(expected[i]).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("clip_grad_norm scales all gradients together to the max norm") {
  // ‖g‖₂ = √(9 + 16 + 144) = 13; max_norm 6.5 → scale 6.5 / (13 + 1e-6) ≈ 0.5
  TwoGradients grads;
  CHECK(clip_grad_norm(grads.params(), 6.5) == doctest::Approx(13.0));
  check_values(grads.a.grad(), {1.5, 2.0});
  check_values(grads.b.grad(), {6.0});
}

TEST_CASE("clip_grad_norm leaves gradients already inside the max norm alone") {
  TwoGradients grads;
  CHECK(clip_grad_norm(grads.params(), 20.0) == doctest::Approx(13.0));
  CHECK(grads.a.grad().to_vector() == std::vector<float>{3.0F, 4.0F});
  CHECK(grads.b.grad().to_vector() == std::vector<float>{12.0F});
}

TEST_CASE("clip_grad_norm supports the 1-norm and the infinity norm") {
  // ‖g‖₁ = 3 + 4 + 12 = 19 → scale 9.5/19 = 0.5;  ‖g‖∞ = 12 → scale 6/12 = 0.5
  TwoGradients one_norm;
  CHECK(clip_grad_norm(one_norm.params(), 9.5, 1.0) == doctest::Approx(19.0));
  check_values(one_norm.a.grad(), {1.5, 2.0});
  TwoGradients infinity_norm;
  CHECK(clip_grad_norm(infinity_norm.params(), 6.0, kInfinityNorm) == doctest::Approx(12.0));
  check_values(infinity_norm.b.grad(), {6.0});
}

TEST_CASE("clip_grad_norm skips parameters without a gradient") {
  TwoGradients grads;
  const Tensor no_grad = make_param({1.0F});
  CHECK(clip_grad_norm({grads.a, no_grad}, 2.5) == doctest::Approx(5.0));
  check_values(grads.a.grad(), {1.5, 2.0});
  CHECK_FALSE(no_grad.grad().defined());
}

TEST_CASE("clip_grad_norm leaves gradients unchanged when the norm is not finite") {
  TwoGradients grads;
  grads.b.set_grad(from_vector({std::numeric_limits<float>::infinity()}));
  CHECK(std::isinf(clip_grad_norm(grads.params(), 1.0)));
  CHECK(grads.a.grad().to_vector() == std::vector<float>{3.0F, 4.0F});
}

TEST_CASE("clip_grad_value clamps every element to plus or minus the clip value") {
  const Tensor param = make_param({0.0F, 0.0F, 0.0F});
  param.set_grad(from_vector({-5.0F, 0.5F, 2.0F}));
  clip_grad_value({param}, 1.0);
  CHECK(param.grad().to_vector() == std::vector<float>{-1.0F, 0.5F, 1.0F});
}

TEST_CASE("clip_grad_value handles a strided gradient") {
  const Tensor param = make_param({0.0F, 0.0F, 0.0F, 0.0F}).detach().reshape({2, 2});
  param.requires_grad_();
  param.set_grad(from_vector({1.0F, -3.0F, 3.0F, 0.0F}, {2, 2}).transpose(0, 1));
  clip_grad_value({param}, 2.0);
  CHECK(param.grad().to_vector() == std::vector<float>{1.0F, 2.0F, -2.0F, 0.0F});
}

TEST_CASE("gradient clipping refuses invalid limits") {
  TwoGradients grads;
  CHECK_THROWS_WITH_AS(clip_grad_norm(grads.params(), -1.0),
                       "clip_grad_norm: max_norm must be a finite number >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(clip_grad_norm(grads.params(), 1.0, 0.0),
                       "clip_grad_norm: norm_type must be > 0 (or infinity), got 0", Error);
  CHECK_THROWS_WITH_AS(clip_grad_value(grads.params(), std::nan("")),
                       "clip_grad_value: clip_value must be a finite number >= 0, got nan", Error);
}
