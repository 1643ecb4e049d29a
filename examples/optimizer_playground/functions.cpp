// The playground's test functions (see functions.h).
#include "examples/optimizer_playground/functions.h"

#include "core/error.h"
#include "core/ops/arithmetic.h"
#include "core/ops/math.h"
#include "core/ops/reduction.h"
#include "core/ops/view.h"

namespace minidl::examples {

namespace {

Tensor square(const Tensor& t) { return t * t; }

// (1 − x)² + 100 (y − x²)²: a curved narrow valley, minimum 0 at (1, 1).
Tensor rosenbrock(const Tensor& x, const Tensor& y) {
  return square(1.0F - x) + 100.0F * square(y - square(x));
}

// (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat plateaus and sharp ridges,
// minimum 0 at (3, 0.5).
Tensor beale(const Tensor& x, const Tensor& y) {
  const Tensor xy = x * y;
  const Tensor xy2 = xy * y;
  const Tensor xy3 = xy2 * y;
  return square(1.5F - x + xy) + square(2.25F - x + xy2) + square(2.625F - x + xy3);
}

// (x² + y − 11)² + (x + y² − 7)²: four minima of value 0.
Tensor himmelblau(const Tensor& x, const Tensor& y) {
  return square(square(x) + y - 11.0F) + square(x + square(y) - 7.0F);
}

// (x² + 50 y²) / 2: a quadratic whose curvatures differ 50-fold, minimum 0 at (0, 0).
Tensor ill_conditioned(const Tensor& x, const Tensor& y) {
  return 0.5F * square(x) + 25.0F * square(y);
}

// x²/2 + y⁴/4 − y²/2: a saddle at (0, 0); minima −1/4 at (0, ±1). Starting on the ridge
// (y ≈ 0), an optimizer must escape along y, where the gradient is almost zero.
Tensor saddle(const Tensor& x, const Tensor& y) {
  return 0.5F * square(x) + 0.25F * square(square(y)) - 0.5F * square(y);
}

}  // namespace

const std::vector<TestFunction>& test_functions() {
  static const std::vector<TestFunction> functions = {
      {"rosenbrock",
       "(1-x)^2 + 100(y-x^2)^2",
       rosenbrock,
       {-1.5, 2.0},
       {{1.0, 1.0}},
       0.0,
       {-2.0, -1.0},
       {2.0, 3.0}},
      {"beale",
       "(1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2",
       beale,
       {1.0, 1.5},
       {{3.0, 0.5}},
       0.0,
       {-1.0, -1.5},
       {4.0, 2.0}},
      {"himmelblau",
       "(x^2+y-11)^2 + (x+y^2-7)^2",
       himmelblau,
       {0.0, -0.5},
       {{3.0, 2.0}, {-2.805118, 3.131312}, {-3.779310, -3.283186}, {3.584428, -1.848126}},
       0.0,
       {-5.0, -5.0},
       {5.0, 5.0}},
      {"ill_conditioned",
       "x^2/2 + 25y^2",
       ill_conditioned,
       {-4.0, 1.0},
       {{0.0, 0.0}},
       0.0,
       {-5.0, -1.5},
       {5.0, 1.5}},
      {"saddle",
       "x^2/2 + y^4/4 - y^2/2",
       saddle,
       {1.5, 0.001},
       {{0.0, 1.0}, {0.0, -1.0}},
       -0.25,
       {-2.0, -1.6},
       {2.0, 1.6}},
  };
  return functions;
}

const TestFunction& test_function(const std::string& name) {
  for (const TestFunction& function : test_functions()) {
    if (function.name == name) return function;
  }
  throw Error(fmt::format("playground: no test function '{}'", name));
}

Tensor evaluate_at(const TestFunction& function, const Tensor& xy) {
  return sum(function.f(xy.narrow(0, 0, 1), xy.narrow(0, 1, 1)));
}

}  // namespace minidl::examples
