// Optimizer base class: parameter checks, learning rate, zero_grad, observers and state_dict
// load/save checks; FirstOrderOptimizer's step (NoGradGuard, step counter, observers).
#include "optim/optimizer.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "optim/check_options.h"

namespace minidl::optim {

Optimizer::Optimizer(std::string kind, std::vector<Tensor> params, double lr)
    : kind_(std::move(kind)), params_(std::move(params)), lr_(lr) {
  detail::check_lr(kind_, "lr", lr);
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

void Optimizer::set_lr(double lr) {
  detail::check_lr(kind_, "lr", lr);
  lr_ = lr;
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
  StateDict dict{.kind = kind_, .step_count = step_count_, .lr = lr_};
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
  for (size_t index = 0; index < params_.size(); ++index) {
    MINIDL_CHECK(dict.params[index].shape == params_[index].shape(),
                 "{}: {}, parameter {}: saved shape {} differs from the parameter's shape {}",
                 kind_, source, index, dict.params[index].shape, params_[index].shape());
  }
  MINIDL_CHECK(dict.step_count >= 0, "{}: {}: negative step count {}", kind_, source,
               dict.step_count);
  MINIDL_CHECK(std::isfinite(dict.lr) && dict.lr >= 0.0, "{}: {}: invalid learning rate {}", kind_,
               source, dict.lr);
  load_fields(dict, source);  // throws before changing anything when a field does not fit
  lr_ = dict.lr;
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
