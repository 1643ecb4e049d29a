// L-BFGS with an optional strong-Wolfe line search (lbfgs.h).
#include "optim/lbfgs.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "optim/check_options.h"
#include "optim/line_search.h"

namespace minidl::optim {

namespace {

LBFGSOptions with_default_max_eval(LBFGSOptions options) {
  if (options.max_eval == 0) {
    const int64_t five_times = detail::checked_product(
        "LBFGS", "the default max_eval, max_iter · 5 / 4 (set max_eval)", options.max_iter, 5);
    options.max_eval = std::max<int64_t>(1, five_times / 4);
  }
  return options;
}

template <class A, class B>
double dot(const std::vector<A>& a, const std::vector<B>& b) {
  double total = 0.0;
  for (size_t i = 0; i < a.size(); ++i) total += static_cast<double>(a[i]) * b[i];
  return total;
}

double max_abs(const std::vector<float>& values) {
  double largest = 0.0;
  for (float value : values) largest = std::max(largest, std::abs(static_cast<double>(value)));
  return largest;
}

double sum_abs(const std::vector<float>& values) {
  double total = 0.0;
  for (float value : values) total += std::abs(static_cast<double>(value));
  return total;
}

// The loss a closure returned, checked to be a single value.
double loss_value(const Tensor& loss) {
  MINIDL_CHECK(loss.defined() && loss.numel() == 1,
               "LBFGS: the closure must return the scalar loss, got {}",
               loss.defined() ? fmt::format("shape {}", loss.shape()) : "an undefined tensor");
  return static_cast<double>(loss.item());
}

}  // namespace

void LBFGSOptions::check(std::string_view owner) const {
  detail::check_lr(owner, "lr", lr);
  detail::check_count(owner, "max_iter", max_iter, 1);
  detail::check_count(owner, "max_eval", max_eval, 0);
  detail::check_non_negative(owner, "tolerance_grad", tolerance_grad);
  detail::check_non_negative(owner, "tolerance_change", tolerance_change);
  detail::check_count(owner, "history_size", history_size, 1);
}

void LBFGSOptions::visit(StateFields& fields) {
  fields.counter("max_iter", max_iter);
  fields.counter("max_eval", max_eval);
  fields.scalar("tolerance_grad", tolerance_grad);
  fields.scalar("tolerance_change", tolerance_change);
  fields.counter("history_size", history_size);
  fields.enum_choice("line_search", line_search, LineSearch::StrongWolfe);
}

LBFGS::LBFGS(std::vector<Tensor> params, LBFGSOptions options)
    : Optimizer("LBFGS", {std::move(params)}, {options.lr}) {
  options.check(kind());
  options_ = with_default_max_eval(options);
  for (const Tensor& param : this->params()) total_numel_ += param.numel();
  state_.direction.assign(static_cast<size_t>(total_numel_), 0.0F);
  state_.previous_grad.assign(static_cast<size_t>(total_numel_), 0.0F);
}

std::vector<float> LBFGS::flat_grad() const {
  std::vector<float> flat;
  flat.reserve(static_cast<size_t>(total_numel_));
  for (const Tensor& param : params()) {
    const Tensor grad = param.grad();
    if (!grad.defined()) {
      flat.insert(flat.end(), static_cast<size_t>(param.numel()), 0.0F);
    } else {
      const Tensor compact = grad.is_contiguous() ? grad : grad.contiguous();
      flat.insert(flat.end(), compact.data(), compact.data() + compact.numel());
    }
  }
  return flat;
}

std::vector<float> LBFGS::flat_params() const {
  std::vector<float> flat;
  flat.reserve(static_cast<size_t>(total_numel_));
  for (const Tensor& param : params()) {
    flat.insert(flat.end(), param.data(), param.data() + param.numel());
  }
  return flat;
}

void LBFGS::set_params(const std::vector<float>& x, double t, const std::vector<float>& d) {
  const auto step = static_cast<float>(t);
  size_t offset = 0;
  for (const Tensor& param : params()) {
    param.storage()->bump_version();  // an in-place change, as for every optimizer
    float* values = param.data();
    for (int64_t i = 0, end = param.numel(); i < end; ++i, ++offset)
      values[i] = x[offset] + step * d[offset];
  }
}

std::vector<float> LBFGS::two_loop_direction(const std::vector<float>& grad) const {
  const size_t history = state_.steps.size();
  std::vector<double> q(grad.size());
  for (size_t i = 0; i < grad.size(); ++i) q[i] = -static_cast<double>(grad[i]);
  std::vector<double> alpha(history);
  std::vector<double> rho(history);
  for (size_t k = history; k-- > 0;) {  // newest to oldest
    const std::vector<float>& s = state_.steps[k];
    const std::vector<float>& y = state_.grad_diffs[k];
    rho[k] = 1.0 / dot(y, s);
    alpha[k] = rho[k] * dot(s, q);
    for (size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * y[i];
  }
  for (double& value : q) value *= state_.hessian_diag;  // r = γ q
  for (size_t k = 0; k < history; ++k) {                 // oldest to newest
    const std::vector<float>& s = state_.steps[k];
    const double beta = rho[k] * dot(state_.grad_diffs[k], q);
    for (size_t i = 0; i < q.size(); ++i) q[i] += s[i] * (alpha[k] - beta);
  }
  return {q.begin(), q.end()};
}

Tensor LBFGS::step(const Closure& closure) {
  MINIDL_CHECK(static_cast<bool>(closure), "LBFGS: step(closure) got an empty closure");
  LBFGSState& state = state_;
  const Tensor first_loss = closure();
  double loss = loss_value(first_loss);
  int64_t evaluations = 1;
  ++state.evaluations;
  std::vector<float> grad = flat_grad();
  notify_before_step();
  bool converged = max_abs(grad) <= options_.tolerance_grad;

  std::vector<float>& d = state.direction;
  double& t = state.step_size;
  for (int64_t iteration = 1; !converged && iteration <= options_.max_iter; ++iteration) {
    ++state.iterations;
    if (state.iterations == 1) {
      for (size_t i = 0; i < d.size(); ++i) d[i] = -grad[i];
      state.hessian_diag = 1.0;
      state.steps.clear();
      state.grad_diffs.clear();
    } else {
      std::vector<float> y(grad.size());
      std::vector<float> s(grad.size());
      for (size_t i = 0; i < y.size(); ++i) {
        y[i] = grad[i] - state.previous_grad[i];
        s[i] = static_cast<float>(t) * d[i];
      }
      const double ys = dot(y, s);
      if (ys > 1e-10) {  // keep H positive definite: skip pairs without positive curvature
        if (static_cast<int64_t>(state.steps.size()) == options_.history_size) {
          state.steps.pop_front();
          state.grad_diffs.pop_front();
        }
        state.hessian_diag = ys / dot(y, y);
        state.steps.push_back(std::move(s));
        state.grad_diffs.push_back(std::move(y));
      }
      d = two_loop_direction(grad);
    }
    state.previous_grad = grad;
    state.previous_loss = loss;
    t = state.iterations == 1 ? std::min(1.0, 1.0 / sum_abs(grad)) * lr() : lr();
    const double directional_derivative = dot(grad, d);
    if (directional_derivative > -options_.tolerance_change) break;  // not a descent direction

    int64_t line_evaluations = 0;
    if (options_.line_search == LineSearch::StrongWolfe) {
      const std::vector<float> start_params = flat_params();
      const LineFunction phi = [&](double step_size) {
        {
          NoGradGuard no_grad;
          set_params(start_params, step_size, d);
        }
        LinePoint point{.t = step_size, .loss = loss_value(closure()), .grad = flat_grad()};
        point.slope = dot(point.grad, d);
        return point;
      };
      const LinePoint start{.t = 0.0, .loss = loss, .slope = directional_derivative, .grad = grad};
      // The search may spend what is left of max_eval (and at most 25 evaluations).
      const int64_t budget = std::clamp<int64_t>(options_.max_eval - evaluations, 1, 25);
      LineSearchResult result =
          strong_wolfe(phi, start, t, max_abs(d),
                       {.tolerance_change = options_.tolerance_change, .max_evaluations = budget});
      t = result.point.t;
      loss = result.point.loss;
      grad = std::move(result.point.grad);
      line_evaluations = result.evaluations;
      NoGradGuard no_grad;
      set_params(start_params, t, d);  // the search may have evaluated elsewhere last
    } else {
      {
        NoGradGuard no_grad;
        set_params(flat_params(), t, d);
      }
      if (iteration != options_.max_iter) {  // the next step(closure) re-evaluates anyway
        loss = loss_value(closure());
        grad = flat_grad();
        line_evaluations = 1;
      }
    }
    evaluations += line_evaluations;
    state.evaluations += line_evaluations;
    converged = max_abs(grad) <= options_.tolerance_grad;
    if (evaluations >= options_.max_eval) break;
    if (max_abs(d) * std::abs(t) <= options_.tolerance_change) break;
    if (std::abs(loss - state.previous_loss) < options_.tolerance_change) break;
  }
  finish_step();
  return first_loss;
}

void LBFGS::visit_state(LBFGSState& state, const LBFGSOptions& options, StateFields& fields) const {
  fields.counter("iterations", state.iterations);
  fields.counter("evaluations", state.evaluations);
  fields.scalar("step_size", state.step_size);
  fields.scalar("previous_loss", state.previous_loss);
  fields.scalar("hessian_diag", state.hessian_diag);
  fields.buffer("direction", state.direction, total_numel_);
  fields.buffer("previous_grad", state.previous_grad, total_numel_);
  auto history_length = static_cast<int64_t>(state.steps.size());
  fields.counter("history_length", history_length);
  MINIDL_CHECK(history_length <= options.history_size,
               "LBFGS: state holds {} history pairs but history_size is {}", history_length,
               options.history_size);
  // The history is stored as one buffer per list: history_length rows of total_numel values.
  for (auto* rows : {&state.steps, &state.grad_diffs}) {
    std::vector<float> flat;
    for (const std::vector<float>& row : *rows) flat.insert(flat.end(), row.begin(), row.end());
    fields.buffer(rows == &state.steps ? "history_s" : "history_y", flat,
                  history_length * total_numel_);
    rows->clear();
    for (int64_t k = 0; k < history_length; ++k) {
      const auto begin = flat.begin() + k * total_numel_;
      rows->emplace_back(begin, begin + total_numel_);
    }
  }
}

void LBFGS::save_fields(StateDict& dict) const {
  LBFGSOptions options = options_;  // the visitors take mutable arguments; copies keep this const
  FieldCollector options_collector(dict.groups.front().options);
  options.visit(options_collector);
  LBFGSState copy = state_;
  FieldCollector collector(dict.global);
  visit_state(copy, options_, collector);
}

void LBFGS::load_fields(const StateDict& dict, std::string_view source) {
  for (size_t index = 0; index < dict.params.size(); ++index) {
    FieldLoader(dict.params[index].fields, where(source, fmt::format("parameter {}", index)))
        .finish();
  }
  // Filled completely before anything is replaced.
  LBFGSOptions restored_options = options_;
  const std::string group = where(source, "parameter group 0");
  if (dict.has_options) {
    FieldLoader options_loader(dict.groups.front().options, group);
    restored_options.visit(options_loader);
    options_loader.finish();
  }
  restored_options.lr = dict.groups.front().lr;
  restored_options.check(group);
  LBFGSState restored = state_;
  FieldLoader loader(dict.global, where(source, "optimizer-wide state"));
  visit_state(restored, restored_options, loader);
  loader.finish();
  options_ = with_default_max_eval(restored_options);
  state_ = std::move(restored);
}

std::vector<NamedValue> LBFGS::state_values(size_t index, int64_t element) const {
  int64_t offset = element;
  for (size_t earlier = 0; earlier < index; ++earlier) offset += params()[earlier].numel();
  return {{"direction", static_cast<double>(state_.direction[static_cast<size_t>(offset)])},
          {"step_size", state_.step_size},
          {"hessian_diag", state_.hessian_diag},
          {"history_length", static_cast<double>(state_.steps.size())}};
}

}  // namespace minidl::optim
