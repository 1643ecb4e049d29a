// The optimizer playground's test functions and runs, and the plotting helper's fallbacks.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "examples/common/plot.h"
#include "examples/optimizer_playground/playground.h"
#include "minidl.h"

using namespace minidl;
using examples::TestFunction;

namespace {

Tensor point(double x, double y) {
  return from_vector({static_cast<float>(x), static_cast<float>(y)}).requires_grad_();
}

}  // namespace

TEST_CASE("the playground has the five test functions") {
  std::vector<std::string> names;
  for (const TestFunction& f : examples::test_functions()) names.push_back(f.name);
  CHECK(names ==
        std::vector<std::string>{"rosenbrock", "beale", "himmelblau", "ill_conditioned", "saddle"});
}

TEST_CASE("each test function takes its known minimum value, with zero gradient, at its minima") {
  for (const TestFunction& function : examples::test_functions()) {
    for (const examples::Point2d& m : function.minima) {
      INFO(function.name << " at (" << m.x << ", " << m.y << ")");
      Tensor xy = point(m.x, m.y);
      Tensor f = examples::evaluate_at(function, xy);
      CHECK(f.item() == doctest::Approx(function.min_value).epsilon(1e-4));
      f.backward();
      for (float g : xy.grad().to_vector()) CHECK(std::fabs(g) < 2e-3F);
    }
  }
}

TEST_CASE("each test function's autograd gradient passes gradcheck at its start and elsewhere") {
  for (const TestFunction& function : examples::test_functions()) {
    for (const examples::Point2d& at : {function.start, examples::Point2d{0.3, -0.4}}) {
      const GradcheckResult result = gradcheck(
          [&](const std::vector<Tensor>& v) { return examples::evaluate_at(function, v[0]); },
          {point(at.x, at.y)}, {.eps = 1e-3, .atol = 1e-2, .rtol = 1e-2});
      INFO(function.name << ": " << result.message);
      CHECK(result.ok);
    }
  }
}

TEST_CASE("the playground runs every optimizer, each with a learning rate from its table") {
  const auto runs = examples::playground_runs(examples::test_functions()[0]);
  CHECK(runs.size() == examples::optimizer_names().size() + 1);  // + sgd with momentum
  CHECK(runs[1].label == "momentum");
  CHECK(runs[1].optimizer.momentum == 0.9);
  for (const auto& run : runs) CHECK(run.optimizer.lr > 0.0);
  CHECK_THROWS_AS(examples::playground_lr("no_such_function", "adam"), Error);
}

TEST_CASE("a playground run records its path from the start and finds when it converged") {
  const TestFunction& quadratic = examples::test_functions()[3];
  const examples::PlaygroundRun adam{"adam", {.name = "adam", .lr = 0.1}};
  const examples::Path path = examples::run_path(quadratic, adam, 300, {}, 1e-4);
  REQUIRE(path.points.size() == 301);
  CHECK(path.points[0].x == doctest::Approx(quadratic.start.x));
  CHECK(path.points[0].f == doctest::Approx(8.0 + 25.0));  // 16/2 + 25
  CHECK_FALSE(path.diverged);
  REQUIRE(path.converged_at > 0);
  CHECK(path.points[static_cast<size_t>(path.converged_at)].f < 1e-4);
  CHECK(path.points[static_cast<size_t>(path.converged_at - 1)].f >= 1e-4);
}

TEST_CASE("a run whose learning rate is too large is reported as diverged") {
  const TestFunction& rosenbrock = examples::test_functions()[0];
  const examples::PlaygroundRun sgd{"sgd", {.name = "sgd", .lr = 0.5}};
  const examples::Path path = examples::run_path(rosenbrock, sgd, 100, {}, 1e-4);
  CHECK(path.diverged);
  CHECK(path.points.size() < 101);
}

TEST_CASE("L-BFGS with a line search reaches Rosenbrock's minimum") {
  const TestFunction& rosenbrock = examples::test_functions()[0];
  const examples::Path path =
      examples::run_path(rosenbrock, {"lbfgs", {.name = "lbfgs", .lr = 1.0}}, 50, {}, 1e-4);
  CHECK(path.converged_at > 0);
}

TEST_CASE("without the plotting tools the helpers say how to get them and report no picture") {
  setenv("MINIDL_NO_PLOT", "1", 1);
  CHECK(examples::find_program("sh").empty());
  CHECK_FALSE(examples::run_gnuplot("missing.gp", "missing.svg", "data.csv"));
  CHECK_FALSE(examples::render_dot("missing.dot", "missing.svg"));
  unsetenv("MINIDL_NO_PLOT");
  CHECK_FALSE(examples::find_program("sh").empty());
  CHECK(examples::find_program("no-such-program-here").empty());
  CHECK(examples::gnuplot_quote("it's") == "'it''s'");
}
