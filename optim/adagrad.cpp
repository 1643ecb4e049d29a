// Adagrad (adagrad.h).
#include "optim/adagrad.h"

#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

AdagradState initial_state(const AdagradOptions& options, int64_t numel) {
  return AdagradState{
      .sum = std::vector<float>(static_cast<size_t>(numel),
                                static_cast<float>(options.initial_accumulator_value))};
}

}  // namespace

void AdagradOptions::check(std::string_view owner) const {
  detail::check_lr(owner, "lr", lr);
  detail::check_non_negative(owner, "lr_decay", lr_decay);
  detail::check_non_negative(owner, "weight_decay", weight_decay);
  detail::check_non_negative(owner, "initial_accumulator_value", initial_accumulator_value);
  detail::check_non_negative(owner, "eps", eps);
}

void AdagradOptions::visit(StateFields& fields) {
  fields.scalar("lr_decay", lr_decay);
  fields.scalar("weight_decay", weight_decay);
  fields.scalar("initial_accumulator_value", initial_accumulator_value);
  fields.scalar("eps", eps);
}

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions options)
    : Adagrad(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

Adagrad::Adagrad(std::vector<ParamGroup> groups, AdagradOptions defaults)
    : OptimizerWithState("Adagrad", std::move(groups), defaults, initial_state) {}

void Adagrad::visit_state(AdagradState& state, const AdagradOptions& /*options*/, int64_t numel,
                          StateFields& fields) const {
  fields.counter("step", state.step);
  fields.buffer("sum", state.sum, numel);
}

void Adagrad::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const AdagradOptions& o = options(p.group);
    const auto weight_decay = static_cast<float>(o.weight_decay);
    const auto eps = static_cast<float>(o.eps);
    AdagradState& state = states_[p.index];
    const int64_t t = ++state.step;
    const auto lr_t = static_cast<float>(o.lr / (1.0 + static_cast<double>(t - 1) * o.lr_decay));
    float* sum = state.sum.data();
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + weight_decay * p.param[i];
      sum[i] += g * g;
      p.param[i] -= lr_t * g / (std::sqrt(sum[i]) + eps);
    }
  });
}

}  // namespace minidl::optim
