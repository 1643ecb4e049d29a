// Optimizer base class: parameter and group checks, learning rates and their scaling, zero_grad,
// observers and state_dict load/save checks; FirstOrderOptimizer's step (NoGradGuard, step
// counter, observers).
#include "optim/optimizer.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "optim/check_options.h"

namespace minidl::optim {

Optimizer::Optimizer(std::string kind, std::vector<std::vector<Tensor>> group_params,
                     std::vector<double> initial_lrs)
    : kind_(std::move(kind)), group_starts_{0}, initial_lrs_(std::move(initial_lrs)) {
  for (size_t group = 0; group < group_params.size(); ++group) {
    MINIDL_CHECK(!group_params[group].empty() || group_params.size() == 1,
                 "{}: parameter group {} is empty", kind_, group);
    params_.insert(params_.end(), group_params[group].begin(), group_params[group].end());
    group_starts_.push_back(params_.size());
  }
  MINIDL_CHECK(!params_.empty(), "{}: got an empty parameter list", kind_);
  for (size_t index = 0; index < params_.size(); ++index) {
    const Tensor& param = params_[index];
    MINIDL_CHECK(param.defined(), "{}: parameter {} is an undefined tensor", kind_, index);
    MINIDL_CHECK(param.is_leaf(),
                 "{}: parameter {} (shape {}) is not a leaf tensor; optimize the leaf it was "
                 "computed from",
                 kind_, index, param.shape());
    MINIDL_CHECK(param.is_contiguous(), "{}: parameter {} (shape {}) is not contiguous", kind_,
                 index, param.shape());
    for (size_t earlier = 0; earlier < index; ++earlier) {
      MINIDL_CHECK(params_[earlier].impl() != param.impl(),
                   "{}: parameter {} is the same tensor as parameter {}", kind_, index, earlier);
    }
  }
}

void Optimizer::zero_grad() {
  for (const Tensor& param : params_) param.zero_grad();
}

std::span<const Tensor> Optimizer::group_params(size_t group) const {
  MINIDL_CHECK(group < param_group_count(), "{}: there is no parameter group {} (of {})", kind_,
               group, param_group_count());
  return std::span<const Tensor>(params_).subspan(group_starts_[group],
                                                  group_starts_[group + 1] - group_starts_[group]);
}

size_t Optimizer::group_of(size_t index) const {
  MINIDL_CHECK(index < params_.size(), "{}: there is no parameter {} (of {})", kind_, index,
               params_.size());
  const auto after = std::upper_bound(group_starts_.begin(), group_starts_.end(), index);
  return static_cast<size_t>(after - group_starts_.begin()) - 1;
}

double Optimizer::lr(size_t group) const {
  MINIDL_CHECK(group < param_group_count(), "{}: there is no parameter group {} (of {})", kind_,
               group, param_group_count());
  return group_lr(group);
}

double Optimizer::initial_lr(size_t group) const {
  MINIDL_CHECK(group < param_group_count(), "{}: there is no parameter group {} (of {})", kind_,
               group, param_group_count());
  return initial_lrs_[group];
}

void Optimizer::set_lr(double lr) {
  detail::check_lr(kind_, "lr", lr);
  for (size_t group = 0; group < param_group_count(); ++group) set_group_lr(group, lr);
}

void Optimizer::set_lr_factor(double factor) {
  detail::check_non_negative(kind_, "lr factor", factor);
  for (size_t group = 0; group < param_group_count(); ++group) {
    const double lr = initial_lrs_[group] * factor;
    detail::check_lr(kind_, fmt::format("lr of parameter group {}", group), lr);
  }
  for (size_t group = 0; group < param_group_count(); ++group) {
    set_group_lr(group, initial_lrs_[group] * factor);
  }
}

void Optimizer::add_observer(std::shared_ptr<StepObserver> observer) {
  MINIDL_CHECK(observer != nullptr, "{}: add_observer got a null observer", kind_);
  observer->on_attach(*this);
  observers_.push_back(std::move(observer));
}

void Optimizer::remove_observer(const StepObserver& observer) {
  std::erase_if(observers_, [&](const auto& added) { return added.get() == &observer; });
}

void Optimizer::notify_before_step() const {
  for (const auto& observer : observers_) observer->before_step(*this);
}

void Optimizer::finish_step() {
  ++step_count_;
  for (const auto& observer : observers_) observer->after_step(*this);
}

std::string Optimizer::where(std::string_view source, std::string_view entry) const {
  return fmt::format("{}: {}, {}", kind_, source, entry);
}

StateDict Optimizer::state_dict() const {
  StateDict dict{.kind = kind_, .step_count = step_count_};
  for (size_t group = 0; group < param_group_count(); ++group) {
    dict.groups.push_back({.size = static_cast<int64_t>(group_params(group).size()),
                           .lr = group_lr(group),
                           .initial_lr = initial_lrs_[group]});
  }
  dict.params.resize(params_.size());
  for (size_t index = 0; index < params_.size(); ++index) {
    dict.params[index].shape = params_[index].shape();
  }
  save_fields(dict);
  return dict;
}

void Optimizer::load_state_dict(const StateDict& dict, std::string_view source) {
  MINIDL_CHECK(dict.kind == kind_, "{}: {} holds the state of a {} optimizer, not {}", kind_,
               source, dict.kind, kind_);
  MINIDL_CHECK(dict.params.size() == params_.size(),
               "{}: {} holds state for {} parameters, but this optimizer has {}", kind_, source,
               dict.params.size(), params_.size());
  std::vector<int64_t> group_sizes;
  for (size_t group = 0; group < param_group_count(); ++group) {
    group_sizes.push_back(static_cast<int64_t>(group_params(group).size()));
  }
  std::vector<int64_t> saved_group_sizes;
  for (const GroupState& group : dict.groups) saved_group_sizes.push_back(group.size);
  MINIDL_CHECK(saved_group_sizes == group_sizes,
               "{}: {} holds parameter groups of {} parameters, but this optimizer's groups have "
               "{}",
               kind_, source, saved_group_sizes, group_sizes);
  for (size_t index = 0; index < params_.size(); ++index) {
    MINIDL_CHECK(dict.params[index].shape == params_[index].shape(),
                 "{}: {}, parameter {}: saved shape {} differs from the parameter's shape {}",
                 kind_, source, index, dict.params[index].shape, params_[index].shape());
  }
  MINIDL_CHECK(dict.step_count >= 0, "{}: {}: negative step count {}", kind_, source,
               dict.step_count);
  for (size_t group = 0; group < dict.groups.size(); ++group) {
    const GroupState& saved = dict.groups[group];
    const std::string entry = fmt::format("parameter group {}", group);
    MINIDL_CHECK(std::isfinite(saved.lr) && saved.lr >= 0.0, "{}: invalid learning rate {}",
                 where(source, entry), saved.lr);
    MINIDL_CHECK(!dict.has_options || (std::isfinite(saved.initial_lr) && saved.initial_lr >= 0.0),
                 "{}: invalid initial learning rate {}", where(source, entry), saved.initial_lr);
  }
  load_fields(dict, source);  // throws before changing anything when an option or field is wrong
  if (dict.has_options) {
    for (size_t group = 0; group < dict.groups.size(); ++group) {
      initial_lrs_[group] = dict.groups[group].initial_lr;
    }
  }
  step_count_ = dict.step_count;
}

void FirstOrderOptimizer::step() {
  NoGradGuard no_grad;
  notify_before_step();
  update();
  finish_step();
}

Tensor FirstOrderOptimizer::step(const Closure& closure) {
  MINIDL_CHECK(static_cast<bool>(closure), "{}: step(closure) got an empty closure", kind());
  Tensor loss = closure();
  step();
  return loss;
}

}  // namespace minidl::optim
