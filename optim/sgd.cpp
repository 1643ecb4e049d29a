// SGD with heavy-ball, moving-average or lr-inside momentum, Nesterov and weight decay (sgd.h).
#include "optim/sgd.h"

#include "core/error.h"
#include "optim/check_options.h"

namespace minidl::optim {

namespace {

const SGDOptions& validated(const SGDOptions& options) {
  detail::check_lr("SGD", "lr", options.lr);
  detail::check_unit_interval("SGD", "momentum", options.momentum);
  detail::check_non_negative("SGD", "weight_decay", options.weight_decay);
  MINIDL_CHECK(!options.nesterov || options.momentum > 0.0,
               "SGD: nesterov needs momentum > 0, got momentum {}", options.momentum);
  return options;
}

}  // namespace

SGD::SGD(std::vector<Tensor> params, SGDOptions options)
    : OptimizerWithState("SGD", std::move(params), validated(options).lr,
                         [&options](int64_t numel) {
                           const auto size = options.momentum > 0.0 ? numel : 0;
                           return SGDState{std::vector<float>(static_cast<size_t>(size), 0.0F)};
                         }),
      options_(options) {}

void SGD::visit_state(SGDState& state, int64_t numel, StateFields& fields) const {
  if (options_.momentum > 0.0) fields.buffer("velocity", state.velocity, numel);
}

void SGD::update() {
  const auto lr = static_cast<float>(this->lr());
  const auto weight_decay = static_cast<float>(options_.weight_decay);
  const auto momentum = static_cast<float>(options_.momentum);
  const bool use_momentum = options_.momentum > 0.0;
  const bool nesterov = options_.nesterov;
  // v = a v + b g;  θ -= c (v or, with Nesterov, a v + b g)  — see the table in sgd.h.
  float a = momentum;
  float b = 1.0F;
  float c = lr;
  if (options_.momentum_form == MomentumForm::MovingAverage) {
    b = static_cast<float>(1.0 - options_.momentum);  // 1 - β in double, then rounded
  }
  if (options_.momentum_form == MomentumForm::LrInside) {
    b = lr;
    c = 1.0F;
  }
  for_each_param_with_grad([&](const ParamView& p) {
    float* velocity = states_[p.index].velocity.data();
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + weight_decay * p.param[i];
      if (!use_momentum) {
        p.param[i] -= lr * g;
        continue;
      }
      velocity[i] = a * velocity[i] + b * g;
      const float direction = nesterov ? a * velocity[i] + b * g : velocity[i];
      p.param[i] -= c * direction;
    }
  });
}

}  // namespace minidl::optim
