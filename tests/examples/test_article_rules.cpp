// The articles' update rules do what docs/optimizers-and-schedules.md says they do: their first
// step on x²/2 + 25y² from (−4, 1), where the gradient is (−4, 50), worked out by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "examples/article_formulas/article_rules.h"

using namespace minidl;

namespace {

// The point after the first step of `label` with η = 0.05.
examples::PathPoint first_step(const std::string& label) {
  const examples::Path path = examples::run_article_rule(
      examples::test_function("ill_conditioned"), examples::article_rule(label), 0.05, 1, 1e-4);
  REQUIRE(path.points.size() == 2);
  return path.points[1];
}

}  // namespace

TEST_CASE("the article's Adam takes a first step of (1 − β1)/(1 − β2) = 100 times η") {
  // m = 0.1 g, √v = √0.001 |g|, divided once more by √(1 − β2) = √0.001: 100 η sign(g).
  const examples::PathPoint p = first_step("article Adam");
  CHECK(p.x == doctest::Approx(-4.0 + 5.0).epsilon(1e-4));
  CHECK(p.y == doctest::Approx(1.0 - 5.0).epsilon(1e-4));
}

TEST_CASE("Adam without the square root steps by η / g") {
  // m̂ = g and v̂ = g² after one step, so θ −= η g / g² = η / g.
  const examples::PathPoint p = first_step("article Adam without sqrt");
  CHECK(p.x == doctest::Approx(-4.0 + 0.05 / 4.0).epsilon(1e-5));
  CHECK(p.y == doctest::Approx(1.0 - 0.05 / 50.0).epsilon(1e-5));
}

TEST_CASE("the article's RMSprop moves every coordinate down, whatever the gradient's sign") {
  // v = 0.001 g², θ −= η v / √0.001 = η √0.001 g²: x's gradient is negative, and x still falls.
  const examples::PathPoint p = first_step("article RMSprop");
  const double scale = 0.05 * std::sqrt(0.001);
  CHECK(p.x == doctest::Approx(-4.0 - scale * 16.0).epsilon(1e-5));
  CHECK(p.y == doctest::Approx(1.0 - scale * 2500.0).epsilon(1e-5));
  CHECK_THROWS_WITH(examples::article_rule("Adam"), "article_formulas: no rule labelled 'Adam'");
}
