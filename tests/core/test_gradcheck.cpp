// gradcheck itself, and every registered case: one per differentiable op at least.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/autograd/differentiable_ops.h"
#include "gradcheck_registry.h"

using namespace minidl;
using minidl::testing::gradcheck_cases;

namespace minidl::testing {
std::vector<GradcheckCase>& gradcheck_cases() {
  static std::vector<GradcheckCase> cases;
  return cases;
}
}  // namespace minidl::testing

TEST_CASE("every differentiable op has a gradcheck case") {
  for (std::string_view op : autograd::kDifferentiableOps) {
    const auto count = std::count_if(gradcheck_cases().begin(), gradcheck_cases().end(),
                                     [&](const auto& c) { return c.op == op; });
    INFO("op without a gradcheck case: " << op);
    CHECK(count > 0);
  }
}

TEST_CASE("every gradcheck case names a listed op") {
  for (const auto& c : gradcheck_cases()) {
    INFO("case for an unlisted op: " << c.op);
    CHECK(autograd::is_differentiable_op(c.op));
  }
}

TEST_CASE("autograd matches finite differences for every differentiable op, at 1 and 2 threads") {
  for (int64_t threads : {1, 2}) {
    set_num_threads(threads);
    for (const auto& c : gradcheck_cases()) {
      GradcheckResult result = gradcheck(c.fn, c.inputs, c.options);
      INFO(c.op << " (" << c.description << ") at " << threads << " threads: " << result.message);
      CHECK(result.ok);
    }
  }
}

TEST_CASE("gradcheck reports the worst element of a wrong backward") {
  // An op whose backward forgets a factor: d(3x)/dx reported as 2.
  auto wrong = [](const std::vector<Tensor>& v) {
    Tensor out = v[0].detach() * 3.0F;
    return autograd::record("mul_scalar", {v[0]}, out,
                            [](const Tensor& g) { return std::vector<Tensor>{g * 2.0F}; });
  };
  GradcheckResult result = gradcheck(wrong, {testing::leaf({4}, 1)});
  CHECK_FALSE(result.ok);
  CHECK(result.worst_input == 0);
  CHECK(result.worst_element >= 0);
  CHECK(result.numeric / result.analytic == doctest::Approx(1.5).epsilon(0.01));
  CHECK(result.message.find("FAILED") != std::string::npos);
}

TEST_CASE("gradcheck leaves the caller's inputs and their gradients untouched") {
  Tensor x = testing::leaf({3}, 2);
  std::vector<float> before = x.to_vector();
  GradcheckResult result = gradcheck([](const std::vector<Tensor>& v) { return exp(v[0]); }, {x});
  CHECK(result.ok);
  CHECK(x.to_vector() == before);
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("gradcheck refuses a function with no input requiring grad") {
  CHECK_THROWS_WITH_AS(
      gradcheck([](const std::vector<Tensor>& v) { return v[0] * 2.0F; }, {ones({2})}),
      doctest::Contains("does not require grad"), Error);
}
