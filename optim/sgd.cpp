// SGD with heavy-ball, moving-average or lr-inside momentum, Nesterov and weight decay (sgd.h).
#include "optim/sgd.h"

#include "core/error.h"
#include "optim/check_options.h"

namespace minidl::optim {

namespace {

SGDState initial_state(const SGDOptions& options, int64_t numel) {
  const auto size = options.momentum > 0.0 ? numel : 0;
  return SGDState{std::vector<float>(static_cast<size_t>(size), 0.0F)};
}

}  // namespace

void SGDOptions::check(std::string_view owner) const {
  detail::check_lr(owner, "lr", lr);
  detail::check_unit_interval(owner, "momentum", momentum);
  detail::check_non_negative(owner, "weight_decay", weight_decay);
  MINIDL_CHECK(!nesterov || momentum > 0.0, "{}: nesterov needs momentum > 0, got momentum {}",
               owner, momentum);
}

void SGDOptions::visit(StateFields& fields) {
  fields.scalar("momentum", momentum);
  fields.enum_choice("momentum_form", momentum_form, MomentumForm::LrInside);
  fields.flag("nesterov", nesterov);
  fields.scalar("weight_decay", weight_decay);
}

SGD::SGD(std::vector<Tensor> params, SGDOptions options)
    : SGD(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

SGD::SGD(std::vector<ParamGroup> groups, SGDOptions defaults)
    : OptimizerWithState("SGD", std::move(groups), defaults, initial_state) {}

void SGD::visit_state(SGDState& state, const SGDOptions& options, int64_t numel,
                      StateFields& fields) const {
  if (options.momentum > 0.0) fields.buffer("velocity", state.velocity, numel);
}

void SGD::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const SGDOptions& o = options(p.group);
    const auto lr = static_cast<float>(o.lr);
    const auto weight_decay = static_cast<float>(o.weight_decay);
    const bool use_momentum = o.momentum > 0.0;
    // v = a v + b g;  θ -= c (v or, with Nesterov, a v + b g)  — see the table in sgd.h.
    const auto a = static_cast<float>(o.momentum);
    float b = 1.0F;
    float c = lr;
    if (o.momentum_form == MomentumForm::MovingAverage) {
      b = static_cast<float>(1.0 - o.momentum);  // 1 - β in double, then rounded
    }
    if (o.momentum_form == MomentumForm::LrInside) {
      b = lr;
      c = 1.0F;
    }
    // Branch-free loops over local, non-aliasing pointers, so the compiler vectorises them.
    float* __restrict param = p.param;
    const float* __restrict grad = p.grad;
    const int64_t n = p.numel;
    if (!use_momentum) {
      for (int64_t i = 0; i < n; ++i) param[i] -= lr * (grad[i] + weight_decay * param[i]);
      return;
    }
    float* __restrict velocity = states_[p.index].velocity.data();
    const bool nesterov = o.nesterov;  // a loop-invariant choice: a blend, not a branch
    for (int64_t i = 0; i < n; ++i) {
      const float g = grad[i] + weight_decay * param[i];
      const float v = a * velocity[i] + b * g;
      velocity[i] = v;
      param[i] -= c * (nesterov ? a * v + b * g : v);
    }
  });
}

}  // namespace minidl::optim
