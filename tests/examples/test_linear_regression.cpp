// The linear-regression example: least squares is exact, and every method ends within 1e-3 of it.
#include <doctest/doctest.h>

#include "core/error.h"
#include "data/synthetic.h"
#include "examples/linear_regression/regression.h"

using namespace minidl;
using namespace minidl::examples;

TEST_CASE("least_squares recovers the true weights of noise-free data") {
  Generator g(3);
  auto data = data::make_linear(50, {1.5F, -2.0F, 0.25F}, 0.75F, 0.0F, g);
  Solution s = least_squares(*data);
  CHECK(s.weights[0] == doctest::Approx(1.5).epsilon(1e-5));
  CHECK(s.weights[1] == doctest::Approx(-2.0).epsilon(1e-5));
  CHECK(s.weights[2] == doctest::Approx(0.25).epsilon(1e-5));
  CHECK(s.bias == doctest::Approx(0.75).epsilon(1e-5));
}

TEST_CASE("every fitting method ends within 1e-3 of the closed-form solution") {
  for (const std::vector<float>& weights :
       {std::vector<float>{2.0F}, std::vector<float>{1.5F, -2.0F, 0.5F, 3.0F}}) {
    Generator g(0);
    auto data = data::make_linear(256, weights, 1.0F, 0.1F, g);
    const Solution exact = least_squares(*data);
    for (const std::string& method : method_names()) {
      FitResult r = fit(method, data, {});
      INFO(method << " with " << weights.size() << " features: distance "
                  << distance(r.solution, exact));
      CHECK(distance(r.solution, exact) < 1e-3);
      CHECK(r.loss_curve.size() > 0);
      CHECK(r.loss_curve.back() <= r.loss_curve.front());
      CHECK(r.steps > 0);
    }
  }
}

TEST_CASE("an unknown method is refused by name") {
  Generator g(0);
  auto data = data::make_linear(8, {1.0F}, 0.0F, 0.0F, g);
  CHECK_THROWS_WITH_AS(fit("newton", data, {}), doctest::Contains("unknown method 'newton'"),
                       Error);
}
