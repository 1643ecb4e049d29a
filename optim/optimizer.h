// The Optimizer base class every algorithm derives from. It owns what all algorithms share: the
// parameters and their groups, the step counter, the learning rates and how a schedule scales
// them, zero_grad, state_dict save/load and the observers that watch each step (the teaching
// Trace is one). Every optimizer takes a step with step(closure); the first-order ones
// (FirstOrderOptimizer: all but L-BFGS) also step from the gradients already in .grad with
// step(), and only write `update()`: one loop over raw floats per parameter, run under
// NoGradGuard so no graph is built. L-BFGS re-evaluates the loss several times per step, so it
// implements step(closure) itself and has no step().
//
// Parameter groups (param_group.h) give parameters their own options; a plain parameter list is
// one group with the defaults. Every group remembers the learning rate it was built with, its
// initial_lr, and set_lr_factor(f) sets each group's lr to initial_lr · f: that is how one
// schedule drives groups with different rates (LrSchedule::factor_at, schedule.h).
//
// Per-parameter state lives in `OptimizerWithState<Options, State>::states_`, a vector aligned
// with `params()` (state i belongs to parameter i; nothing is keyed by a tensor's address).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/tensor.h"
#include "optim/param_group.h"
#include "optim/state_dict.h"
#include "optim/step_observer.h"

namespace minidl::optim {

/// Recomputes the loss for a step: zero_grads, runs forward and backward, returns the loss (like
/// PyTorch's closure).
using Closure = std::function<Tensor()>;

/// Base class of all optimizers: parameters and groups, learning rates, step counter, observers
/// and state plumbing.
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
  /// Number of steps so far (restored by load_state_dict).
  int64_t step_count() const { return step_count_; }
  /// Every parameter, group after group, each group in the order it was given.
  const std::vector<Tensor>& params() const { return params_; }
  /// The algorithm's name as written in state files, e.g. "Adam".
  const std::string& kind() const { return kind_; }

  /// Number of parameter groups (1 for an optimizer built from a plain parameter list).
  size_t param_group_count() const { return group_starts_.size() - 1; }
  /// The parameters of group `group` (a slice of params()).
  std::span<const Tensor> group_params(size_t group) const;
  /// The group of parameter `index` of params().
  size_t group_of(size_t index) const;
  /// The learning rate group `group` uses in the next step.
  double lr(size_t group = 0) const;
  /// The learning rate group `group` was built with: the base rate that set_lr_factor scales.
  double initial_lr(size_t group = 0) const;
  /// Sets every group's learning rate to `lr` (finite and >= 0).
  void set_lr(double lr);
  /// Sets every group's learning rate to its initial_lr times `factor` (finite and >= 0), e.g.
  /// from a schedule: set_lr_factor(schedule.factor_at(step)).
  void set_lr_factor(double factor);

  /// Adds an observer called before and after every step (StepObserver); after on_attach.
  void add_observer(std::shared_ptr<StepObserver> observer);
  /// Removes an observer added before (nothing happens when it was not added).
  void remove_observer(const StepObserver& observer);
  /// The state of element `element` of parameter `index`, by name (what a Trace prints).
  virtual std::vector<NamedValue> state_values(size_t index, int64_t element) const = 0;

  /// A copy of everything needed to resume exactly: kind, step count, every group's learning
  /// rates and options, and all state buffers.
  StateDict state_dict() const;
  /// Restores a state dict, options included, after checking all of it (kind, groups, parameter
  /// count, every shape, option and field); on any mismatch throws naming `source` and the entry,
  /// leaving the optimizer as it was.
  void load_state_dict(const StateDict& dict, std::string_view source = "state dict");

 protected:
  /// Checks the parameters (at least one; each group non-empty; defined, leaf, contiguous, no
  /// duplicates); `initial_lrs` holds each group's learning rate, already checked.
  Optimizer(std::string kind, std::vector<std::vector<Tensor>> group_params,
            std::vector<double> initial_lrs);

  /// The learning rate in group `group`'s options.
  virtual double group_lr(size_t group) const = 0;
  /// Stores `lr` (checked) in group `group`'s options.
  virtual void set_group_lr(size_t group, double lr) = 0;
  /// Appends the algorithm's fields to `dict.global`, each `dict.groups[g].options` and each
  /// `dict.params[i].fields`.
  virtual void save_fields(StateDict& dict) const = 0;
  /// Replaces the options (each group's lr included) and all state from `dict` (groups and
  /// shapes already checked), all or nothing.
  virtual void load_fields(const StateDict& dict, std::string_view source) = 0;

  /// Calls every observer's before_step.
  void notify_before_step() const;
  /// Advances the step counter (once per step, never per parameter), then calls every
  /// observer's after_step.
  void finish_step();
  /// "Adam: <source>, parameter 2", the prefix of load errors about one entry.
  std::string where(std::string_view source, std::string_view entry) const;
  /// Index in params() of the first parameter of group `group` (`group` = count: the end).
  size_t group_start(size_t group) const { return group_starts_[group]; }

 private:
  std::string kind_;
  std::vector<Tensor> params_;
  std::vector<size_t> group_starts_;  // group g holds params_[group_starts_[g], [g + 1])
  std::vector<double> initial_lrs_;   // one per group
  int64_t step_count_ = 0;
  std::vector<std::shared_ptr<StepObserver>> observers_;
};

/// Raw view of one parameter and its gradient, as the update loops see them.
struct ParamView {
  size_t index;       // position in params()
  size_t group;       // its parameter group
  float* param;       // [numel] the parameter's values, updated in place
  const float* grad;  // [numel] its gradient (a contiguous copy when .grad was strided)
  int64_t numel;
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

  /// Calls `fn(ParamView)` for every parameter whose gradient is defined, after recording the
  /// in-place change in the parameter's version (a graph that saved it refuses to backward).
  template <class Fn>
  void for_each_param_with_grad(Fn&& fn) const {
    for (size_t group = 0; group < param_group_count(); ++group) {
      for (size_t index = group_start(group); index < group_start(group + 1); ++index) {
        const Tensor& param = params()[index];
        Tensor grad = param.grad();
        if (!grad.defined()) continue;
        if (!grad.is_contiguous()) grad = grad.contiguous();
        param.storage()->bump_version();
        fn(ParamView{index, group, param.data(), grad.data(), param.numel()});
      }
    }
  }
};

/// A first-order optimizer with one `Options` per parameter group and one `State` per parameter.
/// `Options` has an `lr`, `void check(std::string_view owner) const` (throws naming `owner` and
/// the option) and `void visit(StateFields&)` (lists every option but lr, for state files).
/// Derived classes list a State's fields once, in `visit_state`; saving, loading and
/// state_values all go through it.
template <class Options, class State>
class OptimizerWithState : public FirstOrderOptimizer {
 public:
  /// A group of this optimizer's parameters, with or without its own options.
  using ParamGroup = OptimizerParamGroup<Options>;

  /// The options of every group built without its own.
  const Options& defaults() const { return defaults_; }
  /// The options of group `group`; their lr is the live learning rate.
  const Options& options(size_t group = 0) const { return options_.at(group); }
  /// Replaces group `group`'s options after checking them; their lr becomes the live rate, and
  /// the base rate schedules scale stays initial_lr(group). Refuses options that would change
  /// which state the group keeps (e.g. turning momentum or amsgrad on): build a new optimizer.
  void set_options(size_t group, const Options& options) {
    MINIDL_CHECK(group < options_.size(), "{}: there is no parameter group {} (of {})", kind(),
                 group, options_.size());
    options.check(group_owner(group));
    const int64_t numel = params()[group_start(group)].numel();  // groups are never empty
    MINIDL_CHECK(field_names(options_[group], numel) == field_names(options, numel),
                 "{}: the new options would change the state the group keeps ({} instead of {}); "
                 "build a new optimizer to change them",
                 group_owner(group), field_names(options, numel),
                 field_names(options_[group], numel));
    options_[group] = options;
  }
  /// The groups with their parameters and current options (libtorch's param_groups()).
  std::vector<ParamGroup> param_groups() const {
    std::vector<ParamGroup> groups;
    for (size_t group = 0; group < options_.size(); ++group) {
      const std::span<const Tensor> members = group_params(group);
      groups.push_back({{members.begin(), members.end()}, options_[group]});
    }
    return groups;
  }

  std::vector<NamedValue> state_values(size_t index, int64_t element) const final {
    std::vector<NamedValue> values;
    const int64_t numel = params()[index].numel();
    FieldProbe probe(element, numel, values);
    State copy = states_[index];  // visit_state takes a mutable State; the copy keeps this const
    visit_state(copy, options_[group_of(index)], numel, probe);
    return values;
  }

 protected:
  /// Builds a parameter's initial state for its group's options.
  using MakeState = State (*)(const Options& options, int64_t numel);

  /// Checks the defaults and every group's own options, then builds one State per parameter
  /// with `make_state(options of its group, numel)`.
  OptimizerWithState(std::string kind, std::vector<ParamGroup> groups, const Options& defaults,
                     MakeState make_state)
      : FirstOrderOptimizer(std::move(kind), params_of(groups), lrs_of(groups, defaults)),
        defaults_(defaults),
        make_state_(make_state) {
    defaults_.check(this->kind());
    for (size_t group = 0; group < groups.size(); ++group) {
      options_.push_back(groups[group].options.value_or(defaults_));
      if (groups[group].options) options_.back().check(group_owner(group));
    }
    states_.reserve(params().size());
    for (size_t index = 0; index < params().size(); ++index) {
      states_.push_back(make_state_(options_[group_of(index)], params()[index].numel()));
    }
  }

  /// Lists one parameter's state (buffers of `numel` values) in file order; which fields exist
  /// may depend on its group's `options`.
  virtual void visit_state(State& state, const Options& options, int64_t numel,
                           StateFields& fields) const = 0;

  double group_lr(size_t group) const final { return options_[group].lr; }
  void set_group_lr(size_t group, double lr) final { options_[group].lr = lr; }

  void save_fields(StateDict& dict) const final {
    for (size_t group = 0; group < options_.size(); ++group) {
      Options copy = options_[group];  // visit takes mutable options; the copy keeps this const
      FieldCollector collector(dict.groups[group].options);
      copy.visit(collector);
    }
    for (size_t index = 0; index < states_.size(); ++index) {
      State copy = states_[index];
      FieldCollector collector(dict.params[index].fields);
      visit_state(copy, options_[group_of(index)], params()[index].numel(), collector);
    }
  }

  void load_fields(const StateDict& dict, std::string_view source) final {
    FieldLoader(dict.global, where(source, "optimizer-wide state")).finish();
    // Everything is filled completely before anything is replaced.
    std::vector<Options> restored_options = options_;
    for (size_t group = 0; group < restored_options.size(); ++group) {
      const std::string entry = where(source, fmt::format("parameter group {}", group));
      Options& options = restored_options[group];
      if (dict.has_options) {
        FieldLoader loader(dict.groups[group].options, entry);
        options.visit(loader);
        loader.finish();
      }
      options.lr = dict.groups[group].lr;
      options.check(entry);
    }
    std::vector<State> restored;
    for (size_t index = 0; index < params().size(); ++index) {
      const Options& options = restored_options[group_of(index)];
      const int64_t numel = params()[index].numel();
      restored.push_back(make_state_(options, numel));
      FieldLoader loader(dict.params[index].fields,
                         where(source, fmt::format("parameter {}", index)));
      visit_state(restored.back(), options, numel, loader);
      loader.finish();
    }
    options_ = std::move(restored_options);
    states_ = std::move(restored);
  }

  std::vector<State> states_;  // states_[i] belongs to params()[i]

 private:
  static std::vector<std::vector<Tensor>> params_of(const std::vector<ParamGroup>& groups) {
    std::vector<std::vector<Tensor>> params;
    for (const ParamGroup& group : groups) params.push_back(group.params);
    return params;
  }
  static std::vector<double> lrs_of(const std::vector<ParamGroup>& groups,
                                    const Options& defaults) {
    std::vector<double> lrs;
    for (const ParamGroup& group : groups) lrs.push_back(group.options.value_or(defaults).lr);
    return lrs;
  }
  // "SGD" for a single group, "SGD: parameter group 1" when there are several.
  std::string group_owner(size_t group) const {
    return param_group_count() == 1 ? kind() : fmt::format("{}: parameter group {}", kind(), group);
  }
  // The names of the fields a fresh state of a parameter of `numel` elements has.
  std::vector<std::string> field_names(const Options& options, int64_t numel) const {
    State fresh = make_state_(options, numel);
    std::vector<StateField> fields;
    FieldCollector collector(fields);
    visit_state(fresh, options, numel, collector);
    std::vector<std::string> names;
    for (const StateField& field : fields) names.push_back(field.name);
    return names;
  }

  Options defaults_;
  std::vector<Options> options_;  // options_[g] belongs to parameter group g
  MakeState make_state_;
};

}  // namespace minidl::optim
