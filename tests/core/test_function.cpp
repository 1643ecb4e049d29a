// Custom autograd Functions (core/autograd/function.h): values, gradients, names, the Context,
// and the tools built-in ops get (gradcheck, anomaly detection, graph drawing, narration).
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "custom_functions.h"
#include "gradcheck_registry.h"
#include "minidl.h"

using namespace minidl;
using minidl::testing::leaf;
using minidl::testing::MulAdd;
using minidl::testing::PassThrough;
using minidl::testing::RawLog;
using minidl::testing::Softplus;
using minidl::testing::TooManyGradients;
using minidl::testing::WrongCube;

TEST_CASE("a custom Function computes its forward and records one node named after it") {
  Tensor x = from_vector({-1.0F, 0.0F, 2.0F}).requires_grad_();
  Tensor y = Softplus::apply(x, 2.0F);
  REQUIRE(y.grad_fn() != nullptr);
  CHECK(y.grad_fn()->name == "Softplus");
  CHECK(y.grad_fn()->inputs.size() == 1);
  const std::vector<float> values = y.to_vector();
  for (size_t i = 0; i < values.size(); ++i) {
    const double xi = x.to_vector()[i];
    CHECK(values[i] == doctest::Approx(std::log1p(std::exp(2.0 * xi)) / 2.0));
  }
  CHECK(MulAdd::apply(x, x, x).grad_fn()->name == "mul_add");  // named by its `name` member
}

TEST_CASE("a custom Function's backward gives the hand-written gradient") {
  Tensor x = from_vector({-1.0F, 0.0F, 2.0F}).requires_grad_();
  Softplus::apply(x, 2.0F).sum().backward();
  const std::vector<float> grad = x.grad().to_vector();
  for (size_t i = 0; i < grad.size(); ++i) {
    CHECK(grad[i] == doctest::Approx(1.0 / (1.0 + std::exp(-2.0 * x.to_vector()[i]))));
  }
}

TEST_CASE("needs_input_grad tells backward which of several inputs need a gradient") {
  Tensor a = from_vector({1, 2});
  Tensor b = from_vector({3, 4}).requires_grad_();
  Tensor c = from_vector({5, 6});
  MulAdd::apply(a, b, c).sum().backward();
  CHECK(b.grad().to_vector() == std::vector<float>{1, 2});  // d(ab + c)/db = a
  CHECK_FALSE(a.grad().defined());
  CHECK_FALSE(c.grad().defined());
}

TEST_CASE("a custom Function records nothing when no input needs a gradient or under no-grad") {
  Tensor x = from_vector({1, 2});
  CHECK(Softplus::apply(x, 1.0F).grad_fn() == nullptr);
  Tensor w = from_vector({1, 2}).requires_grad_();
  NoGradGuard no_grad;
  CHECK(Softplus::apply(w, 1.0F).grad_fn() == nullptr);
}

TEST_CASE("forward runs without recording, and returning an input never marks that input") {
  Tensor x = from_vector({1, 2}).requires_grad_();
  Tensor y = PassThrough::apply(x);
  CHECK(x.is_leaf());
  CHECK(y.grad_fn()->name == "PassThrough");
  (y * 3.0F).sum().backward();
  CHECK(x.grad().to_vector() == std::vector<float>{3, 3});
}

TEST_CASE("gradcheck catches a wrong custom backward with a readable message") {
  GradcheckResult good = gradcheck(
      [](const std::vector<Tensor>& v) { return Softplus::apply(v[0], 2.0F); }, {leaf({5}, 3)});
  CHECK(good.ok);
  GradcheckResult bad =
      gradcheck([](const std::vector<Tensor>& v) { return WrongCube::apply(v[0]); },
                {leaf({5}, 4, 0.5F, 1.5F)});
  CHECK_FALSE(bad.ok);
  CHECK(bad.numeric / bad.analytic == doctest::Approx(1.5).epsilon(0.01));  // 3x^2 vs 2x^2
  CHECK(bad.message.find("FAILED") != std::string::npos);
  CHECK(bad.message.find("input 0") != std::string::npos);
}

TEST_CASE("a backward returning the wrong number of gradients is refused, naming the Function") {
  Tensor x = from_vector({1}).requires_grad_();
  CHECK_THROWS_WITH_AS(TooManyGradients::apply(x).sum().backward(),
                       "backward of 'TooManyGradients': returned 2 gradients for 1 inputs", Error);
}

TEST_CASE("a tensor saved by a custom Function and modified in place is refused in backward") {
  Tensor x = from_vector({1, 2});
  Tensor w = from_vector({3, 4}).requires_grad_();
  Tensor y = MulAdd::apply(x, w, w).sum();
  x.mul_(10.0F);
  CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("saved by 'mul_add' for backward"), Error);
}

TEST_CASE("anomaly detection names a custom Function that produces a NaN") {
  autograd::DetectAnomalyGuard detect;
  Tensor x = from_vector({1.0F, -1.0F}).requires_grad_();  // log(-1) is NaN
  CHECK_THROWS_WITH_AS(RawLog::apply(x), doctest::Contains("forward of 'RawLog' produced"), Error);
}

TEST_CASE("graph drawing and narration show a custom Function by its name") {
  Tensor x = from_vector({0.5F, -0.5F}).requires_grad_();
  Tensor y = Softplus::apply(x, 1.0F).sum();
  CHECK(autograd::to_dot(y).find("Softplus") != std::string::npos);
  std::ostringstream story;
  {
    autograd::NarrateGuard narrate(story, {{x, "x"}});
    y.backward();
  }
  CHECK(story.str().find("Softplus") != std::string::npos);
}

TEST_CASE("needs_input_grad and save_for_backward refuse bad arguments") {
  autograd::Context ctx;
  CHECK_THROWS_WITH_AS(ctx.needs_input_grad(0), doctest::Contains("needs_input_grad(0)"), Error);
  CHECK_THROWS_WITH_AS(ctx.save_for_backward({Tensor()}),
                       doctest::Contains("save_for_backward got an undefined tensor"), Error);
}
