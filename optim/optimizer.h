// The Optimizer base class every algorithm derives from. It owns what all algorithms share: the
// parameter list, the learning rate, the step counter, zero_grad, state_dict save/load and the
// observers that watch each step (the teaching Trace is one). Every optimizer takes a step with
// step(closure); the first-order ones (FirstOrderOptimizer: all but L-BFGS) also step from the
// gradients already in .grad with step(), and only write `update()`: one loop over raw floats per
// parameter, run under NoGradGuard so no graph is built. L-BFGS re-evaluates the loss several
// times per step, so it implements step(closure) itself and has no step().
//
// Per-parameter state lives in `OptimizerWithState<State>::states_`, a vector aligned with
// `params()` (state i belongs to parameter i; nothing is keyed by a tensor's address).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "optim/state_dict.h"
#include "optim/step_observer.h"

namespace minidl::optim {

/// Recomputes the loss for a step: zero_grads, runs forward and backward, returns the loss (like
/// PyTorch's closure).
using Closure = std::function<Tensor()>;

/// Base class of all optimizers: parameters, learning rate, step counter, observers and state
/// plumbing.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  /// One step that calls `closure` to evaluate the loss and its gradients: once for first-order
  /// optimizers, as often as its iterations need for L-BFGS. Returns the loss of the first call.
  virtual Tensor step(const Closure& closure) = 0;
  /// Clears every parameter's gradient.
  void zero_grad();
  /// The learning rate used by the next step.
  double lr() const { return lr_; }
  /// Sets the learning rate (finite and >= 0), e.g. from a schedule: set_lr(sched.lr_at(step)).
  void set_lr(double lr);
  /// Number of steps so far (restored by load_state_dict).
  int64_t step_count() const { return step_count_; }
  /// The parameters, in the order given to the constructor.
  const std::vector<Tensor>& params() const { return params_; }
  /// The algorithm's name as written in state files, e.g. "Adam".
  const std::string& kind() const { return kind_; }

  /// Adds an observer called before and after every step (StepObserver); after on_attach.
  void add_observer(std::shared_ptr<StepObserver> observer);
  /// Removes an observer added before (nothing happens when it was not added).
  void remove_observer(const StepObserver& observer);
  /// The state of element `element` of parameter `index`, by name (what a Trace prints).
  virtual std::vector<NamedValue> state_values(size_t index, int64_t element) const = 0;

  /// A copy of everything needed to resume exactly: kind, step count, lr and all state buffers.
  StateDict state_dict() const;
  /// Restores a state dict after checking all of it (kind, parameter count, every shape and
  /// field); on any mismatch throws naming `source` and the entry, leaving the optimizer as it was.
  void load_state_dict(const StateDict& dict, std::string_view source = "state dict");

 protected:
  /// Checks the parameters (defined, leaf, contiguous, no duplicates) and the learning rate.
  Optimizer(std::string kind, std::vector<Tensor> params, double lr);

  /// Appends the algorithm's fields to `dict.global` and each `dict.params[i].fields`.
  virtual void save_fields(StateDict& dict) const = 0;
  /// Replaces all state from `dict` (shapes already checked), all or nothing.
  virtual void load_fields(const StateDict& dict, std::string_view source) = 0;

  /// Calls every observer's before_step.
  void notify_before_step() const;
  /// Advances the step counter (once per step, never per parameter), then calls every
  /// observer's after_step.
  void finish_step();
  /// "Adam: <source>, parameter 2", the prefix of load errors about one entry.
  std::string where(std::string_view source, std::string_view entry) const;

 private:
  std::string kind_;
  std::vector<Tensor> params_;
  double lr_;
  int64_t step_count_ = 0;
  std::vector<std::shared_ptr<StepObserver>> observers_;
};

/// An optimizer that updates from the gradients already in each parameter's .grad (every
/// algorithm but L-BFGS): step() after backward(), or step(closure).
class FirstOrderOptimizer : public Optimizer {
 public:
  /// One update from the gradients in each parameter's .grad; parameters without one are skipped.
  void step();
  /// Calls `closure` once (it computes the gradients), then step(); returns the loss.
  Tensor step(const Closure& closure) final;

 protected:
  using Optimizer::Optimizer;

  /// The algorithm: updates every parameter that has a gradient (runs under NoGradGuard).
  virtual void update() = 0;

  /// Raw view of one parameter and its gradient, as the update loops see them.
  struct ParamView {
    size_t index;       // position in params()
    float* param;       // [numel] the parameter's values, updated in place
    const float* grad;  // [numel] its gradient (a contiguous copy when .grad was strided)
    int64_t numel;
  };
  /// Calls `fn(ParamView)` for every parameter whose gradient is defined.
  template <class Fn>
  void for_each_param_with_grad(Fn&& fn) const {
    for (size_t index = 0; index < params().size(); ++index) {
      const Tensor& param = params()[index];
      Tensor grad = param.grad();
      if (!grad.defined()) continue;
      if (!grad.is_contiguous()) grad = grad.contiguous();
      fn(ParamView{index, param.data(), grad.data(), param.numel()});
    }
  }
};

/// A first-order optimizer whose state is one `State` per parameter, aligned with params().
/// Derived classes list a State's fields once, in `visit_state`; saving, loading and
/// state_values all go through it.
template <class State>
class OptimizerWithState : public FirstOrderOptimizer {
 public:
  std::vector<NamedValue> state_values(size_t index, int64_t element) const final {
    std::vector<NamedValue> values;
    const int64_t numel = params()[index].numel();
    FieldProbe probe(element, numel, values);
    State copy = states_[index];  // visit_state takes a mutable State; the copy keeps this const
    visit_state(copy, numel, probe);
    return values;
  }

 protected:
  /// Builds one State per parameter with `make_state(numel)`.
  template <class MakeState>
  OptimizerWithState(std::string kind, std::vector<Tensor> params, double lr, MakeState make_state)
      : FirstOrderOptimizer(std::move(kind), std::move(params), lr) {
    states_.reserve(this->params().size());
    for (const Tensor& param : this->params()) states_.push_back(make_state(param.numel()));
  }

  /// Lists one parameter's state (buffers of `numel` values) in file order.
  virtual void visit_state(State& state, int64_t numel, StateFields& fields) const = 0;

  void save_fields(StateDict& dict) const final {
    for (size_t index = 0; index < states_.size(); ++index) {
      State copy = states_[index];  // visit_state takes a mutable State; the copy keeps this const
      FieldCollector collector(dict.params[index].fields);
      visit_state(copy, params()[index].numel(), collector);
    }
  }

  void load_fields(const StateDict& dict, std::string_view source) final {
    FieldLoader(dict.global, where(source, "optimizer-wide state")).finish();
    std::vector<State> restored = states_;  // filled completely before anything is replaced
    for (size_t index = 0; index < restored.size(); ++index) {
      FieldLoader loader(dict.params[index].fields,
                         where(source, fmt::format("parameter {}", index)));
      visit_state(restored[index], params()[index].numel(), loader);
      loader.finish();
    }
    states_ = std::move(restored);
  }

  std::vector<State> states_;  // states_[i] belongs to params()[i]
};

}  // namespace minidl::optim
