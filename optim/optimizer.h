// The Optimizer base class every algorithm derives from. It owns what all algorithms share: the
// parameter list, the learning rate, the step counter, zero_grad, state_dict save/load and the
// teaching trace. An algorithm only writes `update()`: one loop over raw floats per parameter,
// run under NoGradGuard so no graph is built.
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

namespace minidl::optim {

class Trace;

/// Recomputes the loss for L-BFGS-style steps: zero_grads, runs forward and backward, returns
/// the loss (like PyTorch's closure).
using Closure = std::function<Tensor()>;

/// Base class of all optimizers: parameters, learning rate, step counter and state plumbing.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  /// One update from the gradients in each parameter's .grad; parameters without one are skipped.
  void step();
  /// Calls `closure` (which recomputes the gradients), then updates; returns the loss.
  virtual Tensor step(const Closure& closure);
  /// Clears every parameter's gradient.
  void zero_grad();
  /// The learning rate used by the next step.
  double lr() const { return lr_; }
  /// Sets the learning rate (finite and >= 0), e.g. from a schedule: set_lr(sched.lr_at(step)).
  void set_lr(double lr);
  /// Number of step() calls so far (restored by load_state_dict).
  int64_t step_count() const { return step_count_; }
  /// The parameters, in the order given to the constructor.
  const std::vector<Tensor>& params() const { return params_; }
  /// The algorithm's name as written in state files, e.g. "Adam".
  const std::string& kind() const { return kind_; }
  /// Attaches a per-step CSV trace of one parameter element (nullptr detaches).
  void set_trace(std::shared_ptr<Trace> trace);

  /// A copy of everything needed to resume exactly: kind, step count, lr and all state buffers.
  StateDict state_dict() const;
  /// Restores a state dict after checking all of it (kind, parameter count, every shape and
  /// field); on any mismatch throws naming `source` and the entry, leaving the optimizer as it was.
  void load_state_dict(const StateDict& dict, std::string_view source = "state dict");

 protected:
  /// Checks the parameters (defined, leaf, contiguous, no duplicates) and the learning rate.
  Optimizer(std::string kind, std::vector<Tensor> params, double lr);

  /// The algorithm: updates every parameter that has a gradient (runs under NoGradGuard).
  virtual void update() = 0;
  /// Appends the algorithm's fields to `dict.global` and each `dict.params[i].fields`.
  virtual void save_fields(StateDict& dict) const = 0;
  /// Replaces all state from `dict` (shapes already checked), all or nothing.
  virtual void load_fields(const StateDict& dict, std::string_view source) = 0;
  /// Appends the state values of element `element` of parameter `index`, for the trace.
  virtual void trace_values(size_t index, int64_t element, std::vector<NamedValue>& out) = 0;

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
    for (size_t index = 0; index < params_.size(); ++index) {
      Tensor grad = params_[index].grad();
      if (!grad.defined()) continue;
      if (!grad.is_contiguous()) grad = grad.contiguous();
      fn(ParamView{index, params_[index].data(), grad.data(), params_[index].numel()});
    }
  }

  /// What the trace saw before an update.
  struct TracePoint {
    bool active = false;
    float grad = 0.0F;
    float param = 0.0F;
  };
  /// Reads the traced element's gradient and value (inactive when no trace or no gradient).
  TracePoint trace_before() const;
  /// Writes the trace row for the update that followed `before`.
  void trace_after(const TracePoint& before);
  /// Advances the step counter (once per step, never per parameter).
  void count_step() { ++step_count_; }
  /// "Adam: <source>, parameter 2", the prefix of load errors about one entry.
  std::string where(std::string_view source, std::string_view entry) const;

 private:
  std::string kind_;
  std::vector<Tensor> params_;
  double lr_;
  int64_t step_count_ = 0;
  std::shared_ptr<Trace> trace_;
};

/// An optimizer whose state is one `State` per parameter, aligned with params(). Derived classes
/// list a State's fields once, in `describe`; saving, loading and tracing all go through it.
template <class State>
class OptimizerWithState : public Optimizer {
 protected:
  /// Builds one State per parameter with `make_state(numel)`.
  template <class MakeState>
  OptimizerWithState(std::string kind, std::vector<Tensor> params, double lr, MakeState make_state)
      : Optimizer(std::move(kind), std::move(params), lr) {
    states_.reserve(this->params().size());
    for (const Tensor& param : this->params()) states_.push_back(make_state(param.numel()));
  }

  /// Lists one parameter's state (buffers of `numel` values) in file order.
  virtual void describe(State& state, int64_t numel, StateFields& fields) const = 0;

  void save_fields(StateDict& dict) const final {
    for (size_t index = 0; index < states_.size(); ++index) {
      State copy = states_[index];  // describe takes a mutable State; the copy keeps this const
      FieldCollector collector(dict.params[index].fields);
      describe(copy, params()[index].numel(), collector);
    }
  }

  void load_fields(const StateDict& dict, std::string_view source) final {
    FieldLoader(dict.global, where(source, "optimizer-wide state")).finish();
    std::vector<State> restored = states_;  // filled completely before anything is replaced
    for (size_t index = 0; index < restored.size(); ++index) {
      FieldLoader loader(dict.params[index].fields,
                         where(source, fmt::format("parameter {}", index)));
      describe(restored[index], params()[index].numel(), loader);
      loader.finish();
    }
    states_ = std::move(restored);
  }

  void trace_values(size_t index, int64_t element, std::vector<NamedValue>& out) final {
    const int64_t numel = params()[index].numel();
    FieldProbe probe(element, numel, out);
    describe(states_[index], numel, probe);
  }

  std::vector<State> states_;  // states_[i] belongs to params()[i]
};

}  // namespace minidl::optim
