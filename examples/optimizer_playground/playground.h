// The optimizer playground's engine: runs one optimizer (optionally under a schedule) from a
// test function's start point, recording the path, and finds when it converged. main.cpp turns
// the paths into CSV files, a summary table and gnuplot contour plots.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "examples/common/optim_factory.h"
#include "examples/optimizer_playground/functions.h"

namespace minidl::examples {

/// One optimizer setting to try: a label for legends and tables, and how to build it.
struct PlaygroundRun {
  std::string label;
  OptimizerOptions optimizer;
};

/// One point of a path: after `step` steps (0 = the start), at (x, y) with value f.
struct PathPoint {
  int64_t step = 0;
  double x = 0.0;
  double y = 0.0;
  double f = 0.0;
};

/// What one run did.
struct Path {
  std::string label;
  double lr = 0.0;
  std::vector<PathPoint> points;  ///< the start, then one point per step
  int64_t converged_at = -1;      ///< first step with f − f* < tolerance (-1: never)
  bool diverged = false;          ///< stopped early because f or the point became non-finite
};

/// The runs of the playground: sgd, sgd with momentum 0.9 ("momentum"), then every other
/// optimizer of optimizer_names(); adamw with its default decoupled weight decay 1e-2.
/// The learning rate of each comes from playground_lr.
std::vector<PlaygroundRun> playground_runs(const TestFunction& function);

/// The learning rate the playground uses for `optimizer_label` on `function` (see the table in
/// playground.cpp: one value per function for SGD, momentum, Adagrad, RMSprop, Adadelta, the
/// Adam family, RAdam and L-BFGS, each chosen so the method is stable from the start point).
double playground_lr(const std::string& function, const std::string& optimizer_label);

/// function.start as a leaf tensor [2] that requires grad: the point an optimizer moves.
Tensor start_point(const TestFunction& function);

/// One update of the point, at step `step` (from 1).
using StepFunction = std::function<void(int64_t step)>;

/// Records `xy` and f there, then calls `take_step` (which moves `xy`) `steps` times, recording
/// after each; stops early once the point or f is not finite.
Path trace_path(const TestFunction& function, const Tensor& xy, const std::string& label, double lr,
                int64_t steps, double tolerance, const StepFunction& take_step);

/// Runs `run` for `steps` steps (an L-BFGS step is one outer step of up to 20 iterations) from
/// function.start, setting the lr from `schedule` (built with make_schedule over `steps` steps)
/// before each step.
Path run_path(const TestFunction& function, const PlaygroundRun& run, int64_t steps,
              const ScheduleOptions& schedule, double tolerance);

}  // namespace minidl::examples
