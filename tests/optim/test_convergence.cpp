// Convergence: every optimizer drives a convex quadratic to its minimum, and each well-tuned
// optimizer reaches the minimum (1, 1) of the Rosenbrock function from (-1.5, 2) in a stated
// number of steps. Both functions are written with minidl ops and autograd. Each case states the
// distance it reached when it was tuned (float32, measured per case), and must stay within
// kMargin = 3 times that, so a change that makes an optimizer land noticeably farther fails.
// Distances of a few float32 ulps near the minimum are rounding, not progress, so
// kRoundingFloor stands in for smaller ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>

#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "core/ops/math.h"
#include "core/ops/reduction.h"
#include "optim/optim.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

/// An optimizer configuration, the number of steps it gets and the distance it reached.
struct ConvergenceCase {
  std::string name;
  MakeOptimizer make;
  int steps;
  double reached;
};

/// How far above its stated distance a case may end.
constexpr double kMargin = 3.0;
/// A few float32 ulps of the minima's coordinates (ulp(3) = 2.4e-7): the smallest distance a
/// case is held to.
constexpr double kRoundingFloor = 5e-7;

/// A two-variable problem: parameters x and y, a loss, and its minimizer.
struct Problem {
  Tensor x;
  Tensor y;
  double x_min;
  double y_min;
  std::function<Tensor(const Tensor&, const Tensor&)> loss;

  double distance_to_minimum() const {
    return std::hypot(static_cast<double>(x.item()) - x_min, static_cast<double>(y.item()) - y_min);
  }
};

/// f(x, y) = ½ (x - 3)² + 2 (y + 1)²: minimum (3, -1), start (0, 0), condition number 4.
Problem quadratic() {
  return {make_param({0.0F}), make_param({0.0F}), 3.0, -1.0, [](const Tensor& x, const Tensor& y) {
            return sum(0.5F * pow(x - 3.0F, 2.0F) + 2.0F * pow(y + 1.0F, 2.0F));
          }};
}

/// Rosenbrock: f(x, y) = (1 - x)² + 100 (y - x²)², minimum (1, 1), start (-1.5, 2).
Problem rosenbrock() {
  return {make_param({-1.5F}), make_param({2.0F}), 1.0, 1.0, [](const Tensor& x, const Tensor& y) {
            return sum(pow(1.0F - x, 2.0F) + 100.0F * pow(y - x * x, 2.0F));
          }};
}

/// Runs `steps` steps (closure-style, so L-BFGS works too) and returns the final distance.
double minimize(Problem problem, const MakeOptimizer& make, int steps) {
  std::unique_ptr<Optimizer> optimizer = make({problem.x, problem.y});
  const Closure closure = [&] {
    optimizer->zero_grad();
    Tensor loss = problem.loss(problem.x, problem.y);
    loss.backward();
    return loss;
  };
  for (int step = 0; step < steps; ++step) optimizer->step(closure);
  return problem.distance_to_minimum();
}

void check_cases(Problem (*make_problem)(), const std::vector<ConvergenceCase>& cases) {
  for (const ConvergenceCase& c : cases) {
    const double distance = minimize(make_problem(), c.make, c.steps);
    INFO(c.name << " after " << c.steps << " steps: distance " << distance << ", stated "
                << c.reached);
    CHECK(distance <= kMargin * std::max(c.reached, kRoundingFloor));
  }
}

}  // namespace

TEST_CASE("every optimizer drives a convex quadratic to its minimum") {
  // Most cases end within an ulp or two of (3, -1); AdamW's weight decay holds it 1.2e-4 off.
  check_cases(
      quadratic,
      {
          {"SGD", maker<SGD>(SGDOptions{.lr = 0.2}), 100, 4.8e-7},
          {"SGD heavy-ball", maker<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.5}), 100, 2.4e-7},
          {"SGD moving-average",
           maker<SGD>(SGDOptions{
               .lr = 0.2, .momentum = 0.5, .momentum_form = MomentumForm::MovingAverage}),
           100, 2.4e-7},
          {"SGD lr-inside",
           maker<SGD>(
               SGDOptions{.lr = 0.1, .momentum = 0.5, .momentum_form = MomentumForm::LrInside}),
           100, 2.4e-7},
          {"SGD Nesterov", maker<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.5, .nesterov = true}),
           100, 2.4e-7},
          {"Adagrad", maker<Adagrad>(AdagradOptions{.lr = 1.0}), 200, 4.8e-7},
          {"RMSprop", maker<RMSprop>(RMSpropOptions{.lr = 0.01}), 1000, 2.4e-7},
          {"RMSprop centered + momentum",
           maker<RMSprop>(RMSpropOptions{.lr = 0.01, .momentum = 0.5, .centered = true}), 1000,
           0.0},
          {"Adadelta", maker<Adadelta>(AdadeltaOptions{.lr = 1.0, .eps = 1e-4}), 1000, 0.0},
          {"Adam", maker<Adam>(AdamOptions{.lr = 0.1}), 500, 2.4e-7},
          {"Adam amsgrad", maker<Adam>(AdamOptions{.lr = 0.1, .amsgrad = true}), 500, 2.4e-7},
          {"AdamW", maker<AdamW>(AdamWOptions{.lr = 0.1, .weight_decay = 1e-4}), 500, 1.2e-4},
          {"NAdam", maker<NAdam>(NAdamOptions{.lr = 0.1}), 500, 0.0},
          {"RAdam", maker<RAdam>(RAdamOptions{.lr = 0.1}), 500, 1.2e-6},
          {"LBFGS", maker<LBFGS>(LBFGSOptions{.max_iter = 5}), 3, 5.4e-7},
          {"LBFGS strong-Wolfe",
           maker<LBFGS>(LBFGSOptions{.max_iter = 5, .line_search = LineSearch::StrongWolfe}), 3,
           5.4e-7},
      });
}

TEST_CASE("each well-tuned optimizer gets close to the Rosenbrock minimum from (-1.5, 2)") {
  // The curved valley punishes large steps; the settings below are tuned per algorithm.
  check_cases(
      rosenbrock,
      {
          {"SGD", maker<SGD>(SGDOptions{.lr = 2e-3}), 4000, 3.1e-3},
          {"SGD heavy-ball", maker<SGD>(SGDOptions{.lr = 1e-3, .momentum = 0.9}), 2000, 2.7e-4},
          {"SGD moving-average",
           maker<SGD>(SGDOptions{
               .lr = 1e-2, .momentum = 0.9, .momentum_form = MomentumForm::MovingAverage}),
           2000, 2.7e-4},
          {"SGD lr-inside",
           maker<SGD>(
               SGDOptions{.lr = 1e-3, .momentum = 0.9, .momentum_form = MomentumForm::LrInside}),
           2000, 2.7e-4},
          {"SGD Nesterov", maker<SGD>(SGDOptions{.lr = 1e-3, .momentum = 0.9, .nesterov = true}),
           2000, 1.7e-4},
          {"Adagrad", maker<Adagrad>(AdagradOptions{.lr = 1.5}), 8000, 3.6e-3},
          {"RMSprop + momentum", maker<RMSprop>(RMSpropOptions{.lr = 3e-4, .momentum = 0.9}), 2500,
           6.1e-5},
          {"Adadelta", maker<Adadelta>(AdadeltaOptions{.lr = 0.1, .rho = 0.5, .eps = 1e-6}), 5000,
           4.0e-2},
          {"Adam", maker<Adam>(AdamOptions{.lr = 0.05}), 2000, 2.7e-6},
          {"Adam amsgrad", maker<Adam>(AdamOptions{.lr = 0.1, .amsgrad = true}), 2000, 4.3e-6},
          {"AdamW", maker<AdamW>(AdamWOptions{.lr = 0.05, .weight_decay = 1e-5}), 2000, 7.2e-5},
          {"NAdam", maker<NAdam>(NAdamOptions{.lr = 1e-2}), 4000, 4.5e-3},
          {"RAdam", maker<RAdam>(RAdamOptions{.lr = 1e-2, .beta2 = 0.99}), 2000, 7.2e-4},
          {"LBFGS strong-Wolfe",
           maker<LBFGS>(LBFGSOptions{.max_iter = 100, .line_search = LineSearch::StrongWolfe}), 1,
           1.4e-6},
      });
}
