// Running optimizers on the test functions (see playground.h).
#include "examples/optimizer_playground/playground.h"

#include <cmath>
#include <map>

#include "core/error.h"
#include "core/factories.h"

namespace minidl::examples {

namespace {

// Learning rates per function, one column per optimizer family. SGD's must stay below
// 2 / (largest curvature on the path); the adaptive methods move about lr per step per
// coordinate, so theirs are set by the size of the window; Adadelta's lr multiplies a step that
// starts near sqrt(eps) = 1e-3, hence the large values; RAdam's first steps are plain SGD with
// momentum (until its variance estimate is trusted), so it needs a smaller lr where gradients
// are steep; L-BFGS uses a strong-Wolfe line search from lr = 1.
struct LrRow {
  double sgd, momentum, adagrad, rmsprop, adadelta, adam, radam, lbfgs;
};
const std::map<std::string, LrRow>& lr_table() {
  static const std::map<std::string, LrRow> table = {
      // function        sgd    momentum adagrad rmsprop adadelta adam  radam  lbfgs
      {"rosenbrock", {5e-4, 1e-4, 0.5, 0.01, 20.0, 0.05, 0.01, 1.0}},
      {"beale", {0.01, 2e-3, 0.5, 0.01, 20.0, 0.05, 0.01, 1.0}},
      {"himmelblau", {0.01, 2e-3, 0.5, 0.02, 20.0, 0.1, 0.1, 1.0}},
      {"ill_conditioned", {0.035, 0.01, 1.0, 0.02, 5.0, 0.1, 0.1, 1.0}},
      {"saddle", {0.1, 0.02, 0.5, 0.02, 20.0, 0.05, 0.05, 1.0}},
  };
  return table;
}

}  // namespace

double playground_lr(const std::string& function, const std::string& label) {
  auto found = lr_table().find(function);
  MINIDL_CHECK(found != lr_table().end(), "playground: no learning rates for function '{}'",
               function);
  const LrRow& row = found->second;
  if (label == "sgd") return row.sgd;
  if (label == "momentum") return row.momentum;
  if (label == "adagrad") return row.adagrad;
  if (label == "rmsprop") return row.rmsprop;
  if (label == "adadelta") return row.adadelta;
  if (label == "radam") return row.radam;
  if (label == "lbfgs") return row.lbfgs;
  return row.adam;  // adam, amsgrad, adamw, nadam
}

std::vector<PlaygroundRun> playground_runs(const TestFunction& function) {
  std::vector<PlaygroundRun> runs;
  auto add = [&](const std::string& label, OptimizerOptions config) {
    config.lr = playground_lr(function.name, label);
    runs.push_back({label, config});
  };
  add("sgd", {.name = "sgd"});
  add("momentum", {.name = "sgd", .momentum = 0.9});
  for (const std::string& name : optimizer_names()) {
    if (name == "sgd") continue;
    add(name, {.name = name, .weight_decay = name == "adamw" ? 1e-2 : 0.0});
  }
  return runs;
}

Tensor start_point(const TestFunction& function) {
  return from_vector({static_cast<float>(function.start.x), static_cast<float>(function.start.y)})
      .requires_grad_();
}

Path trace_path(const TestFunction& function, const Tensor& xy, const std::string& label, double lr,
                int64_t steps, double tolerance, const StepFunction& take_step) {
  Path path{.label = label, .lr = lr};
  auto record = [&](int64_t step) {
    const double value = evaluate_at(function, xy).item();
    const std::vector<float> at = xy.to_vector();
    path.points.push_back({step, at[0], at[1], value});
    if (!std::isfinite(value) || !std::isfinite(at[0]) || !std::isfinite(at[1])) {
      path.diverged = true;
    } else if (path.converged_at < 0 && value - function.min_value < tolerance) {
      path.converged_at = step;
    }
  };
  record(0);
  for (int64_t step = 1; step <= steps && !path.diverged; ++step) {
    take_step(step);
    record(step);
  }
  return path;
}

Path run_path(const TestFunction& function, const PlaygroundRun& run, int64_t steps,
              const ScheduleOptions& schedule, double tolerance) {
  const Tensor xy = start_point(function);
  std::unique_ptr<optim::Optimizer> optimizer = make_optimizer(run.optimizer, {xy});
  auto lrs = make_schedule(schedule, run.optimizer.lr, /*steps_per_epoch=*/1, steps);
  return trace_path(function, xy, run.label, run.optimizer.lr, steps, tolerance, [&](int64_t step) {
    optimizer->set_lr_factor(lrs->factor_at(step - 1));
    optimizer->step([&] {
      optimizer->zero_grad();
      Tensor loss = evaluate_at(function, xy);
      loss.backward();
      return loss;
    });
  });
}

}  // namespace minidl::examples
