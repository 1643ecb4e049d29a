// gradcheck itself, and every registered case (the registry's coverage of the ops the suite
// records is checked by test_gradcheck_coverage).
#include <doctest/doctest.h>

#include <algorithm>

#include "gradcheck_registry.h"
#include "recorded_ops.h"

using namespace minidl;
using minidl::testing::gradcheck_cases;

TEST_CASE("every gradcheck case exercises the op it names") {
  for (const auto& c : gradcheck_cases()) {
    if (testing::kCompositeOps.contains(c.op)) continue;
    testing::RecordCapture capture;
    c.fn(c.inputs);
    INFO("the case '" << c.op << " (" << c.description << ")' never records " << c.op);
    CHECK(capture.ops().contains(c.op));
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
