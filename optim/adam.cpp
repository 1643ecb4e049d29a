// Adam, with the AMSGrad maximum and either weight-decay mode (adam.h).
#include "optim/adam.h"

#include <algorithm>
#include <cmath>

namespace minidl::optim {

void AdamOptions::check(std::string_view owner) const {
  detail::check_moment_options(owner, *this);
}

void AdamOptions::visit(StateFields& fields) {
  detail::visit_moment_options(*this, fields);
  fields.flag("amsgrad", amsgrad);
}

Adam::Adam(std::vector<Tensor> params, AdamOptions options)
    : Adam(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions defaults)
    : OptimizerWithState("Adam", std::move(groups), defaults, detail::adam_state<AdamOptions>) {}

void Adam::visit_state(AdamState& state, const AdamOptions& options, int64_t numel,
                       StateFields& fields) const {
  detail::visit_adam_state(state, options.amsgrad, numel, fields);
}

void Adam::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    detail::adam_step(p, states_[p.index], options(p.group), detail::WeightDecay::Coupled);
  });
}

namespace detail {

void visit_adam_state(AdamState& state, bool amsgrad, int64_t numel, StateFields& fields) {
  visit_moments(state, numel, fields);
  if (amsgrad) fields.buffer("max_exp_avg_sq", state.max_exp_avg_sq, numel);
}

void adam_step(const ParamView& p, AdamState& state, const AdamOptions& options,
               WeightDecay weight_decay) {
  const MomentConstants c =
      moment_constants(options.lr, options.beta1, options.beta2, options.eps, options.weight_decay);
  const bool decoupled = weight_decay == WeightDecay::Decoupled;
  const MomentStep step = begin_moment_step(state, options.beta1, options.beta2);
  const auto bias_correction1 = static_cast<float>(step.bias_correction1);
  const auto bias_correction2 = static_cast<float>(step.bias_correction2);
  float* m = step.m;
  float* v = step.v;
  float* v_max = state.max_exp_avg_sq.data();
  for (int64_t i = 0; i < p.numel; ++i) {
    float g = p.grad[i];
    if (decoupled) {
      p.param[i] -= c.lr * c.weight_decay * p.param[i];
    } else {
      g += c.weight_decay * p.param[i];
    }
    update_moments(g, c.decay, m[i], v[i]);
    float second_moment = v[i];
    if (options.amsgrad) {
      v_max[i] = std::max(v_max[i], v[i]);
      second_moment = v_max[i];
    }
    const float m_hat = m[i] / bias_correction1;
    const float v_hat = second_moment / bias_correction2;
    p.param[i] -= c.lr * m_hat / (std::sqrt(v_hat) + c.eps);
  }
}

}  // namespace detail
}  // namespace minidl::optim
