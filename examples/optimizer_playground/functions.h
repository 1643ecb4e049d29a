// The 2-D test functions of the optimizer playground, written with minidl's tensor ops so that
// autograd gives their gradients. Each is elementwise in (x, y): the same formula evaluates one
// point for an optimizer and a whole grid for the contour plot.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace minidl::examples {

/// A point of the plane.
struct Point2d {
  double x = 0.0;
  double y = 0.0;
};

/// A 2-D test function with what the playground needs to run and draw it.
struct TestFunction {
  std::string name;     ///< file-name friendly: rosenbrock, beale, ...
  std::string formula;  ///< the formula, for plot titles
  std::function<Tensor(const Tensor& x, const Tensor& y)> f;  ///< elementwise f(x, y)
  Point2d start;                                              ///< where every optimizer starts
  std::vector<Point2d> minima;                                ///< the global minima
  double min_value = 0.0;                                     ///< f at the minima
  Point2d low, high;                                          ///< the plotted window
};

/// Rosenbrock, Beale, Himmelblau, an ill-conditioned quadratic and a saddle, in that order.
const std::vector<TestFunction>& test_functions();

/// The test function named `name`; throws minidl::Error for another name.
const TestFunction& test_function(const std::string& name);

/// f at one point as a scalar tensor, differentiable in `xy` (shape [2]).
Tensor evaluate_at(const TestFunction& function, const Tensor& xy);

}  // namespace minidl::examples
