// Adadelta (adadelta.h).
#include "optim/adadelta.h"

#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

AdadeltaState initial_state(const AdadeltaOptions& /*options*/, int64_t numel) {
  const auto size = static_cast<size_t>(numel);
  return AdadeltaState{std::vector<float>(size, 0.0F), std::vector<float>(size, 0.0F)};
}

}  // namespace

void AdadeltaOptions::check(std::string_view owner) const {
  detail::check_lr(owner, "lr", lr);
  detail::check_unit_interval(owner, "rho", rho);
  detail::check_non_negative(owner, "eps", eps);
  detail::check_non_negative(owner, "weight_decay", weight_decay);
}

void AdadeltaOptions::visit(StateFields& fields) {
  fields.scalar("rho", rho);
  fields.scalar("eps", eps);
  fields.scalar("weight_decay", weight_decay);
}

Adadelta::Adadelta(std::vector<Tensor> params, AdadeltaOptions options)
    : Adadelta(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

Adadelta::Adadelta(std::vector<ParamGroup> groups, AdadeltaOptions defaults)
    : OptimizerWithState("Adadelta", std::move(groups), defaults, initial_state) {}

void Adadelta::visit_state(AdadeltaState& state, const AdadeltaOptions& /*options*/, int64_t numel,
                           StateFields& fields) const {
  fields.buffer("square_avg", state.square_avg, numel);
  fields.buffer("acc_delta", state.acc_delta, numel);
}

void Adadelta::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const AdadeltaOptions& o = options(p.group);
    const auto lr = static_cast<float>(o.lr);
    const auto rho = static_cast<float>(o.rho);
    // 1 - rho in double, then rounded: in float, 1 - 0.9F would lose digits
    const auto one_minus_rho = static_cast<float>(1.0 - o.rho);
    const auto eps = static_cast<float>(o.eps);
    const auto weight_decay = static_cast<float>(o.weight_decay);
    float* square_avg = states_[p.index].square_avg.data();
    float* acc_delta = states_[p.index].acc_delta.data();
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + weight_decay * p.param[i];
      square_avg[i] = rho * square_avg[i] + one_minus_rho * g * g;
      const float delta = std::sqrt(acc_delta[i] + eps) / std::sqrt(square_avg[i] + eps) * g;
      acc_delta[i] = rho * acc_delta[i] + one_minus_rho * delta * delta;
      p.param[i] -= lr * delta;
    }
  });
}

}  // namespace minidl::optim
