// NAdam (nadam.h).
#include "optim/nadam.h"

#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

void NAdamOptions::check(std::string_view owner) const {
  detail::check_moment_options(owner, *this);
  detail::check_non_negative(owner, "momentum_decay", momentum_decay);
}

void NAdamOptions::visit(StateFields& fields) {
  detail::visit_moment_options(*this, fields);
  fields.scalar("momentum_decay", momentum_decay);
}

NAdam::NAdam(std::vector<Tensor> params, NAdamOptions options)
    : NAdam(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

NAdam::NAdam(std::vector<ParamGroup> groups, NAdamOptions defaults)
    : OptimizerWithState("NAdam", std::move(groups), defaults,
                         [](const NAdamOptions& /*options*/, int64_t numel) {
                           return NAdamState{detail::zero_moments(numel)};
                         }) {}

void NAdam::visit_state(NAdamState& state, const NAdamOptions& /*options*/, int64_t numel,
                        StateFields& fields) const {
  detail::visit_moments(state, numel, fields);
  fields.scalar("mu_product", state.mu_product);
}

void NAdam::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const NAdamOptions& o = options(p.group);
    const detail::MomentConstants c =
        detail::moment_constants(o.lr, o.beta1, o.beta2, o.eps, o.weight_decay);
    const auto momentum_at = [&o](double step) {
      return o.beta1 * (1.0 - 0.5 * std::pow(0.96, step * o.momentum_decay));
    };
    NAdamState& state = states_[p.index];
    const detail::MomentStep step = detail::begin_moment_step(state, o.beta1, o.beta2);
    const double mu = momentum_at(step.t);
    const double mu_next = momentum_at(step.t + 1.0);
    state.mu_product *= mu;
    const auto bias_correction2 = static_cast<float>(step.bias_correction2);
    const auto grad_coefficient = static_cast<float>(o.lr * (1.0 - mu) / (1.0 - state.mu_product));
    const auto momentum_coefficient =
        static_cast<float>(o.lr * mu_next / (1.0 - state.mu_product * mu_next));
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
