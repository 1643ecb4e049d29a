// StepObserver: something that watches an optimizer's steps without being part of the algorithm.
// The optimizer calls every observer added with add_observer before and after each step; the
// teaching Trace (trace.h) is one. Observers only read: they must not change the parameters, the
// gradients or the optimizer.
#pragma once

namespace minidl::optim {

class Optimizer;

/// Called around every step of the optimizers it is added to (each callback does nothing unless
/// overridden).
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  /// Called by add_observer; throws minidl::Error when this observer cannot watch `optimizer`.
  virtual void on_attach(const Optimizer& /*optimizer*/) {}
  /// Called once the step's gradients are in place, before the parameters change (for L-BFGS,
  /// after the closure's first evaluation).
  virtual void before_step(const Optimizer& /*optimizer*/) {}
  /// Called after the parameters changed; step_count() already includes this step.
  virtual void after_step(const Optimizer& /*optimizer*/) {}
};

}  // namespace minidl::optim
