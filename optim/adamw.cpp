// AdamW: Adam's step with decoupled weight decay (adamw.h).
#include "optim/adamw.h"

namespace minidl::optim {

void AdamWOptions::check(std::string_view owner) const {
  detail::check_moment_options(owner, *this);
}

void AdamWOptions::visit(StateFields& fields) {
  detail::visit_moment_options(*this, fields);
  fields.flag("amsgrad", amsgrad);
}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions options)
    : AdamW(std::vector<ParamGroup>{{.params = std::move(params)}}, options) {}

AdamW::AdamW(std::vector<ParamGroup> groups, AdamWOptions defaults)
    : OptimizerWithState("AdamW", std::move(groups), defaults, detail::adam_state<AdamWOptions>) {}

void AdamW::visit_state(AdamState& state, const AdamWOptions& options, int64_t numel,
                        StateFields& fields) const {
  detail::visit_adam_state(state, options.amsgrad, numel, fields);
}

void AdamW::update() {
  for_each_param_with_grad([&](const ParamView& p) {
    const AdamWOptions& o = options(p.group);
    const AdamOptions as_adam{.lr = o.lr,
                              .beta1 = o.beta1,
                              .beta2 = o.beta2,
                              .eps = o.eps,
                              .weight_decay = o.weight_decay,
                              .amsgrad = o.amsgrad};
    detail::adam_step(p, states_[p.index], as_adam, detail::WeightDecay::Decoupled);
  });
}

}  // namespace minidl::optim
