// Adagrad (adagrad.h).
#include "optim/adagrad.h"

#include <cmath>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

const AdagradOptions& validated(const AdagradOptions& options) {
  detail::check_lr("Adagrad", "lr", options.lr);
  detail::check_non_negative("Adagrad", "lr_decay", options.lr_decay);
  detail::check_non_negative("Adagrad", "weight_decay", options.weight_decay);
  detail::check_non_negative("Adagrad", "initial_accumulator_value",
                             options.initial_accumulator_value);
  detail::check_non_negative("Adagrad", "eps", options.eps);
  return options;
}

}  // namespace

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions options)
    : OptimizerWithState(
          "Adagrad", std::move(params), validated(options).lr,
          [&options](int64_t numel) {
            return AdagradState{
                .sum = std::vector<float>(static_cast<size_t>(numel),
                                          static_cast<float>(options.initial_accumulator_value))};
          }),
      options_(options) {}

void Adagrad::visit_state(AdagradState& state, int64_t numel, StateFields& fields) const {
  fields.counter("step", state.step);
  fields.buffer("sum", state.sum, numel);
}

void Adagrad::update() {
  const auto weight_decay = static_cast<float>(options_.weight_decay);
  const auto eps = static_cast<float>(options_.eps);
  for_each_param_with_grad([&](const ParamView& p) {
    AdagradState& state = states_[p.index];
    const int64_t t = ++state.step;
    const auto lr_t =
        static_cast<float>(lr() / (1.0 + static_cast<double>(t - 1) * options_.lr_decay));
    float* sum = state.sum.data();
    for (int64_t i = 0; i < p.numel; ++i) {
      const float g = p.grad[i] + weight_decay * p.param[i];
      sum[i] += g * g;
      p.param[i] -= lr_t * g / (std::sqrt(sum[i]) + eps);
    }
  });
}

}  // namespace minidl::optim
