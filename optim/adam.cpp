// Adam, with the AMSGrad maximum and either weight-decay mode (adam.h).
#include "optim/adam.h"

#include <algorithm>
#include <cmath>

namespace minidl::optim {

namespace {

const AdamOptions& validated(std::string_view kind, const AdamOptions& options) {
  detail::check_moment_options(kind, options.lr, options.beta1, options.beta2, options.eps,
                               options.weight_decay);
  return options;
}

}  // namespace

Adam::Adam(std::vector<Tensor> params, AdamOptions options)
    : Adam("Adam", std::move(params), options, WeightDecay::Coupled) {}

Adam::Adam(std::string kind, std::vector<Tensor> params, AdamOptions options, WeightDecay mode)
    : OptimizerWithState(
          kind, std::move(params), validated(kind, options).lr,
          [&options](int64_t numel) {
            const auto max_size = options.amsgrad ? static_cast<size_t>(numel) : 0;
            return AdamState{detail::zero_moments(numel), std::vector<float>(max_size, 0.0F)};
          }),
      options_(options),
      weight_decay_mode_(mode) {}

void Adam::visit_state(AdamState& state, int64_t numel, StateFields& fields) const {
  detail::visit_moments(state, numel, fields);
  if (options_.amsgrad) fields.buffer("max_exp_avg_sq", state.max_exp_avg_sq, numel);
}

void Adam::update() {
  const detail::MomentConstants c = detail::moment_constants(lr(), options_.beta1, options_.beta2,
                                                             options_.eps, options_.weight_decay);
  const bool decoupled = weight_decay_mode_ == WeightDecay::Decoupled;
  const bool amsgrad = options_.amsgrad;
  for_each_param_with_grad([&](const ParamView& p) {
    AdamState& state = states_[p.index];
    const detail::MomentStep step =
        detail::begin_moment_step(state, options_.beta1, options_.beta2);
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
      detail::update_moments(g, c.decay, m[i], v[i]);
      float second_moment = v[i];
      if (amsgrad) {
        v_max[i] = std::max(v_max[i], v[i]);
        second_moment = v_max[i];
      }
      const float m_hat = m[i] / bias_correction1;
      const float v_hat = second_moment / bias_correction2;
      p.param[i] -= c.lr * m_hat / (std::sqrt(v_hat) + c.eps);
    }
  });
}

}  // namespace minidl::optim
