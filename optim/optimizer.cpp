// Optimizer base class: parameter checks, the step wrapper (NoGradGuard, step counter, trace),
// learning rate, zero_grad and state_dict load/save checks.
#include "optim/optimizer.h"

#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "optim/check_options.h"
#include "optim/trace.h"

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

void Optimizer::step() {
  NoGradGuard no_grad;
  const TracePoint before = trace_before();
  update();
  count_step();
  trace_after(before);
}

Tensor Optimizer::step(const Closure& closure) {
  MINIDL_CHECK(static_cast<bool>(closure), "{}: step(closure) got an empty closure", kind_);
  Tensor loss = closure();
  step();
  return loss;
}

void Optimizer::zero_grad() {
  for (const Tensor& param : params_) param.zero_grad();
}

void Optimizer::set_lr(double lr) {
  detail::check_lr(kind_, "lr", lr);
  lr_ = lr;
}

void Optimizer::set_trace(std::shared_ptr<Trace> trace) {
  if (trace != nullptr) {
    const TraceOptions& options = trace->options();
    MINIDL_CHECK(options.param_index < params_.size(),
                 "{}: trace asks for parameter {}, but there are {} parameters", kind_,
                 options.param_index, params_.size());
    const int64_t numel = params_[options.param_index].numel();
    MINIDL_CHECK(options.element >= 0 && options.element < numel,
                 "{}: trace asks for element {} of parameter {}, which has {} elements", kind_,
                 options.element, options.param_index, numel);
  }
  trace_ = std::move(trace);
}

Optimizer::TracePoint Optimizer::trace_before() const {
  if (trace_ == nullptr) return {};
  const Tensor& param = params_[trace_->options().param_index];
  const Tensor grad = param.grad();
  if (!grad.defined()) return {};
  const int64_t element = trace_->options().element;
  const float grad_value =
      grad.is_contiguous() ? grad.data()[element] : grad.contiguous().data()[element];
  return {.active = true, .grad = grad_value, .param = param.data()[element]};
}

void Optimizer::trace_after(const TracePoint& before) {
  if (!before.active || trace_ == nullptr) return;
  const TraceOptions& options = trace_->options();
  TraceRow row{.step = step_count_, .lr = lr_, .grad = before.grad};
  trace_values(options.param_index, options.element, row.state);
  row.param = params_[options.param_index].data()[options.element];
  row.update = row.param - before.param;
  trace_->record(row);
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

}  // namespace minidl::optim
