// Adadelta (adadelta.h).
#include "optim/adadelta.h"

#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

const AdadeltaOptions& validated(const AdadeltaOptions& options) {
  detail::check_lr("Adadelta", "lr", options.lr);
  detail::check_unit_interval("Adadelta", "rho", options.rho);
  detail::check_non_negative("Adadelta", "eps", options.eps);
  detail::check_non_negative("Adadelta", "weight_decay", options.weight_decay);
  return options;
}

}  // namespace

Adadelta::Adadelta(std::vector<Tensor> params, AdadeltaOptions options)
    : OptimizerWithState(
          "Adadelta", std::move(params), validated(options).lr,
          [](int64_t numel) {
            const auto size = static_cast<size_t>(numel);
            return AdadeltaState{std::vector<float>(size, 0.0F), std::vector<float>(size, 0.0F)};
          }),
      options_(options) {}

void Adadelta::visit_state(AdadeltaState& state, int64_t numel, StateFields& fields) const {
  fields.buffer("square_avg", state.square_avg, numel);
  fields.buffer("acc_delta", state.acc_delta, numel);
}

void Adadelta::update() {
  const auto lr = static_cast<float>(this->lr());
  const auto rho = static_cast<float>(options_.rho);
  // 1 - rho in double, then rounded: in float, 1 - 0.9F would lose digits
  const auto one_minus_rho = static_cast<float>(1.0 - options_.rho);
  const auto eps = static_cast<float>(options_.eps);
  const auto weight_decay = static_cast<float>(options_.weight_decay);
  for_each_param_with_grad([&](const ParamView& p) {
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
