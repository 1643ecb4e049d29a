// RAdam (radam.h).
#include "optim/radam.h"

#include <cmath>

namespace minidl::optim {

void RAdamOptions::check(std::string_view owner) const {
  detail::check_moment_options(owner, *this);
}

void RAdamOptions::visit(StateFields& fields) { detail::visit_moment_options(*this, fields); }

RAdam::RAdam(std::vector<Tensor> params, RAdamOptions options)
    : RAdam(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

RAdam::RAdam(std::vector<ParamGroup> groups, RAdamOptions defaults)
    : OptimizerWithState("RAdam", std::move(groups), defaults,
                         [](const RAdamOptions& /*options*/, int64_t numel) {
                           return detail::zero_moments(numel);
                         }) {}

void RAdam::visit_state(MomentState& state, const RAdamOptions& /*options*/, int64_t numel,
                        StateFields& fields) const {
  detail::visit_moments(state, numel, fields);
}

void RAdam::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const RAdamOptions& o = options(p.group);
    const detail::MomentConstants c =
        detail::moment_constants(o.lr, o.beta1, o.beta2, o.eps, o.weight_decay);
    const double rho_infinity = 2.0 / (1.0 - o.beta2) - 1.0;
    const detail::MomentStep step = detail::begin_moment_step(states_[p.index], o.beta1, o.beta2);
    const auto bias_correction1 = static_cast<float>(step.bias_correction1);
    const double beta2_power = std::pow(o.beta2, step.t);
    const double rho_t = rho_infinity - 2.0 * step.t * beta2_power / step.bias_correction2;
    const bool rectified = rho_t > 5.0;
    const auto rectification =
        rectified
            ? static_cast<float>(std::sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_infinity /
                                           ((rho_infinity - 4.0) * (rho_infinity - 2.0) * rho_t)))
            : 0.0F;
    const auto sqrt_bias_correction2 = static_cast<float>(std::sqrt(step.bias_correction2));
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + c.weight_decay * p.param[i];
      detail::update_moments(g, c.decay, step.m[i], step.v[i]);
      const float m_hat = step.m[i] / bias_correction1;
      if (rectified) {
        const float adaptive_lr = sqrt_bias_correction2 / (std::sqrt(step.v[i]) + c.eps);
        p.param[i] -= c.lr * m_hat * rectification * adaptive_lr;
      } else {
        p.param[i] -= c.lr * m_hat;
      }
    }
  });
}

}  // namespace minidl::optim
