// RMSprop (rmsprop.h).
#include "optim/rmsprop.h"

#include <algorithm>
#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

std::vector<float> zeros_if(bool wanted, int64_t numel) {
  return std::vector<float>(wanted ? static_cast<size_t>(numel) : 0, 0.0F);
}

RMSpropState initial_state(const RMSpropOptions& options, int64_t numel) {
  return RMSpropState{zeros_if(true, numel), zeros_if(options.centered, numel),
                      zeros_if(options.momentum > 0.0, numel)};
}

}  // namespace

void RMSpropOptions::check(std::string_view owner) const {
  detail::check_lr(owner, "lr", lr);
  detail::check_unit_interval(owner, "alpha", alpha);
  detail::check_non_negative(owner, "eps", eps);
  detail::check_non_negative(owner, "weight_decay", weight_decay);
  detail::check_unit_interval(owner, "momentum", momentum);
}

void RMSpropOptions::visit(StateFields& fields) {
  fields.scalar("alpha", alpha);
  fields.scalar("eps", eps);
  fields.scalar("weight_decay", weight_decay);
  fields.scalar("momentum", momentum);
  fields.flag("centered", centered);
}

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions options)
    : RMSprop(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

RMSprop::RMSprop(std::vector<ParamGroup> groups, RMSpropOptions defaults)
    : OptimizerWithState("RMSprop", std::move(groups), defaults, initial_state) {}

void RMSprop::visit_state(RMSpropState& state, const RMSpropOptions& options, int64_t numel,
                          StateFields& fields) const {
  fields.buffer("square_avg", state.square_avg, numel);
  if (options.centered) fields.buffer("grad_avg", state.grad_avg, numel);
  if (options.momentum > 0.0) fields.buffer("momentum", state.momentum, numel);
}

void RMSprop::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const RMSpropOptions& o = options(p.group);
    const auto lr = static_cast<float>(o.lr);
    const auto alpha = static_cast<float>(o.alpha);
    // 1 - alpha in double, then rounded: in float, 1 - 0.9F would lose digits
    const auto one_minus_alpha = static_cast<float>(1.0 - o.alpha);
    const auto eps = static_cast<float>(o.eps);
    const auto weight_decay = static_cast<float>(o.weight_decay);
    const auto mu = static_cast<float>(o.momentum);
    const bool use_momentum = o.momentum > 0.0;
    RMSpropState& state = states_[p.index];
    float* square_avg = state.square_avg.data();
    float* grad_avg = state.grad_avg.data();
    float* momentum = state.momentum.data();
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + weight_decay * p.param[i];
      square_avg[i] = alpha * square_avg[i] + one_minus_alpha * g * g;
      float denominator = 0.0F;
      if (o.centered) {
        grad_avg[i] = alpha * grad_avg[i] + one_minus_alpha * g;
        // s - a² >= 0 in exact arithmetic; max() keeps float rounding from taking √ of -0.0000001
        const float variance = std::max(square_avg[i] - grad_avg[i] * grad_avg[i], 0.0F);
        denominator = std::sqrt(variance) + eps;
      } else {
        denominator = std::sqrt(square_avg[i]) + eps;
      }
      if (use_momentum) {
        momentum[i] = mu * momentum[i] + g / denominator;
        p.param[i] -= lr * momentum[i];
      } else {
        p.param[i] -= lr * g / denominator;
      }
    }
  });
}

}  // namespace minidl::optim
