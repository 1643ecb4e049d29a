// NAdam (nadam.h).
#include "optim/nadam.h"

#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

const NAdamOptions& validated(const NAdamOptions& options) {
  detail::check_moment_options("NAdam", options.lr, options.beta1, options.beta2, options.eps,
                               options.weight_decay);
  detail::check_non_negative("NAdam", "momentum_decay", options.momentum_decay);
  return options;
}

}  // namespace

NAdam::NAdam(std::vector<Tensor> params, NAdamOptions options)
    : OptimizerWithState("NAdam", std::move(params), validated(options).lr,
                         [](int64_t numel) { return NAdamState{detail::zero_moments(numel)}; }),
      options_(options) {}

void NAdam::visit_state(NAdamState& state, int64_t numel, StateFields& fields) const {
  detail::visit_moments(state, numel, fields);
  fields.scalar("mu_product", state.mu_product);
}

void NAdam::update() {
  const detail::MomentConstants c = detail::moment_constants(lr(), options_.beta1, options_.beta2,
                                                             options_.eps, options_.weight_decay);
  const auto momentum_at = [this](double step) {
    return options_.beta1 * (1.0 - 0.5 * std::pow(0.96, step * options_.momentum_decay));
  };
  for_each_param_with_grad([&](const ParamView& p) {
    NAdamState& state = states_[p.index];
    const detail::MomentStep step =
        detail::begin_moment_step(state, options_.beta1, options_.beta2);
    const double mu = momentum_at(step.t);
    const double mu_next = momentum_at(step.t + 1.0);
    state.mu_product *= mu;
    const auto bias_correction2 = static_cast<float>(step.bias_correction2);
    const auto grad_coefficient = static_cast<float>(lr() * (1.0 - mu) / (1.0 - state.mu_product));
    const auto momentum_coefficient =
        static_cast<float>(lr() * mu_next / (1.0 - state.mu_product * mu_next));
    float* m = step.m;
    float* v = step.v;
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + c.weight_decay * p.param[i];
      detail::update_moments(g, c.decay, m[i], v[i]);
      const float denominator = std::sqrt(v[i] / bias_correction2) + c.eps;
      p.param[i] -= grad_coefficient * g / denominator + momentum_coefficient * m[i] / denominator;
    }
  });
}

}  // namespace minidl::optim
