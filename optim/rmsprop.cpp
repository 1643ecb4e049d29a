// RMSprop (rmsprop.h).
#include "optim/rmsprop.h"

#include <algorithm>
#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

const RMSpropOptions& validated(const RMSpropOptions& options) {
  detail::check_lr("RMSprop", "lr", options.lr);
  detail::check_unit_interval("RMSprop", "alpha", options.alpha);
  detail::check_non_negative("RMSprop", "eps", options.eps);
  detail::check_non_negative("RMSprop", "weight_decay", options.weight_decay);
  detail::check_unit_interval("RMSprop", "momentum", options.momentum);
  return options;
}

std::vector<float> zeros_if(bool wanted, int64_t numel) {
  return std::vector<float>(wanted ? static_cast<size_t>(numel) : 0, 0.0F);
}

}  // namespace

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions options)
    : OptimizerWithState("RMSprop", std::move(params), validated(options).lr,
                         [&options](int64_t numel) {
                           return RMSpropState{zeros_if(true, numel),
                                               zeros_if(options.centered, numel),
                                               zeros_if(options.momentum > 0.0, numel)};
                         }),
      options_(options) {}

void RMSprop::visit_state(RMSpropState& state, int64_t numel, StateFields& fields) const {
  fields.buffer("square_avg", state.square_avg, numel);
  if (options_.centered) fields.buffer("grad_avg", state.grad_avg, numel);
  if (options_.momentum > 0.0) fields.buffer("momentum", state.momentum, numel);
}

void RMSprop::update() {
  const auto lr = static_cast<float>(this->lr());
  const auto alpha = static_cast<float>(options_.alpha);
  // 1 - alpha in double, then rounded: in float, 1 - 0.9F would lose digits
  const auto one_minus_alpha = static_cast<float>(1.0 - options_.alpha);
  const auto eps = static_cast<float>(options_.eps);
  const auto weight_decay = static_cast<float>(options_.weight_decay);
  const auto mu = static_cast<float>(options_.momentum);
  const bool centered = options_.centered;
  const bool use_momentum = options_.momentum > 0.0;
  for_each_param_with_grad([&](const ParamView& p) {
    RMSpropState& state = states_[p.index];
    float* square_avg = state.square_avg.data();
    float* grad_avg = state.grad_avg.data();
    float* momentum = state.momentum.data();
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + weight_decay * p.param[i];
      square_avg[i] = alpha * square_avg[i] + one_minus_alpha * g * g;
      float denominator = 0.0F;
      if (centered) {
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
