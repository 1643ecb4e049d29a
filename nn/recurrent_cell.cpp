// nn::RNNCell, LSTMCell, GRUCell and the step functions shared with nn/recurrent.h.
#include "nn/recurrent_cell.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "core/ops/linear.h"
#include "core/ops/math.h"
#include "core/ops/view.h"
#include "core/shape.h"
#include "nn/init.h"

namespace minidl::nn {
namespace detail {

// Every step adds the hidden projection h W_hh^T + b_hh to the precomputed input projection.
// Letters: N batch, H hidden_size; gate slices are narrowed out of [N, G*H] along dim 1.

StepState rnn_step(const Tensor& gates, const StepState& state, const Tensor& weight_hh,
                   const Tensor& bias_hh, RNNNonlinearity nonlinearity) {
  const Tensor pre = add(gates, linear(state[0], weight_hh, bias_hh));  // [N, H]
  return {nonlinearity == RNNNonlinearity::Tanh ? tanh(pre) : relu(pre)};
}

StepState lstm_step(const Tensor& gates, const StepState& state, const Tensor& weight_hh,
                    const Tensor& bias_hh) {
  const Tensor& h = state[0];  // [N, H]
  const Tensor& c = state[1];  // [N, H]
  const int64_t hidden = h.size(1);
  const Tensor all = add(gates, linear(h, weight_hh, bias_hh));  // [N, 4H]: i, f, g, o
  const Tensor input_gate = sigmoid(narrow(all, 1, 0, hidden));
  const Tensor forget_gate = sigmoid(narrow(all, 1, hidden, hidden));
  const Tensor candidate = tanh(narrow(all, 1, 2 * hidden, hidden));
  const Tensor output_gate = sigmoid(narrow(all, 1, 3 * hidden, hidden));
  Tensor c_next = add(mul(forget_gate, c), mul(input_gate, candidate));
  Tensor h_next = mul(output_gate, tanh(c_next));
  return {std::move(h_next), std::move(c_next)};
}

StepState gru_step(const Tensor& gates, const StepState& state, const Tensor& weight_hh,
                   const Tensor& bias_hh) {
  const Tensor& h = state[0];  // [N, H]
  const int64_t hidden = h.size(1);
  const Tensor hidden_gates = linear(h, weight_hh, bias_hh);  // [N, 3H]: r, z, n
  // r and z in one sigmoid over [N, 2H]
  const Tensor reset_update =
      sigmoid(add(narrow(gates, 1, 0, 2 * hidden), narrow(hidden_gates, 1, 0, 2 * hidden)));
  const Tensor reset = narrow(reset_update, 1, 0, hidden);
  const Tensor update = narrow(reset_update, 1, hidden, hidden);
  const Tensor candidate = tanh(add(narrow(gates, 1, 2 * hidden, hidden),
                                    mul(reset, narrow(hidden_gates, 1, 2 * hidden, hidden))));
  // (1 - z) * n + z * h = n + z * (h - n)
  return {add(candidate, mul(update, sub(h, candidate)))};
}

void register_recurrent_parameters(Module& module, const std::string& suffix, int64_t gates,
                                   int64_t input_size, int64_t hidden_size, bool bias) {
  const int64_t rows = checked_mul("recurrent layer", gates, hidden_size);
  module.register_parameter("weight_ih" + suffix, zeros({rows, input_size}));
  module.register_parameter("weight_hh" + suffix, zeros({rows, hidden_size}));
  if (bias) {
    module.register_parameter("bias_ih" + suffix, zeros({rows}));
    module.register_parameter("bias_hh" + suffix, zeros({rows}));
  }
}

void reset_recurrent_parameters(Module& module, int64_t hidden_size, Generator& generator) {
  const auto bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hidden_size)));
  for (const Tensor& parameter : module.parameters()) {
    init::uniform_(parameter, -bound, bound, generator);
  }
}

RecurrentCellBase::RecurrentCellBase(std::string name, const RecurrentCellOptions& options,
                                     int64_t gates, Generator& generator, std::string extra)
    : name_(std::move(name)), extra_(std::move(extra)), options_(options) {
  check(options.input_size > 0 && options.hidden_size > 0,
        "input_size and hidden_size must be positive");
  with_provenance([&] {  // gates * hidden * input may overflow or exceed the memory
    register_recurrent_parameters(*this, "", gates, options.input_size, options.hidden_size,
                                  options.bias);
  });
  reset_parameters(generator);
}

void RecurrentCellBase::reset_parameters(Generator& generator) {
  reset_recurrent_parameters(*this, options_.hidden_size, generator);
}

std::string RecurrentCellBase::describe() const {
  return fmt::format("{}(input_size={}, hidden_size={}{}{})", name_, options_.input_size,
                     options_.hidden_size, options_.bias ? "" : ", bias=false", extra_);
}

bool RecurrentCellBase::prepare(Tensor& input, StepState& state) const {
  const int64_t input_size = options_.input_size;
  const int64_t hidden = options_.hidden_size;
  check(input.defined() && (input.dim() == 1 || input.dim() == 2) && input.size(-1) == input_size,
        "expected input of shape [N, {}] or [{}], got shape {}", input_size, input_size,
        input.defined() ? input.shape() : Shape{});
  const bool unbatched = input.dim() == 1;
  if (unbatched) input = unsqueeze(input, 0);
  const int64_t batch = input.size(0);
  const Shape expected = unbatched ? Shape{hidden} : Shape{batch, hidden};
  static constexpr const char* kStateNames[] = {"hx", "cx"};
  for (size_t k = 0; k < state.size(); ++k) {
    Tensor& tensor = state[k];
    if (!tensor.defined()) {
      tensor = zeros({batch, hidden});
      continue;
    }
    check(tensor.shape() == expected, "expected {} of shape {} for input of shape {}, got shape {}",
          kStateNames[k], expected, unbatched ? Shape{input_size} : input.shape(), tensor.shape());
    if (unbatched) tensor = unsqueeze(tensor, 0);
  }
  return unbatched;
}

StepState RecurrentCellBase::run(const Tensor& input, StepState state,
                                 const StepFunction& step) const {
  Tensor batched = input;
  const bool unbatched = prepare(batched, state);
  StepState next = with_provenance([&] {
    const Tensor gates = linear(batched, parameter("weight_ih"), find_parameter("bias_ih"));
    return step(gates, state, parameter("weight_hh"), find_parameter("bias_hh"));
  });
  if (unbatched) {
    for (Tensor& tensor : next) tensor = squeeze(tensor, 0);
  }
  return next;
}

}  // namespace detail

RNNCell::RNNCell(const RNNCellOptions& options, Generator& generator)
    : RecurrentCellBase("RNNCell", {options.input_size, options.hidden_size, options.bias}, 1,
                        generator,
                        options.nonlinearity == RNNNonlinearity::ReLU ? ", nonlinearity=relu" : ""),
      options_(options) {}

Tensor RNNCell::forward(const Tensor& input, const Tensor& hx) {
  const auto step = [this](const Tensor& gates, const detail::StepState& state,
                           const Tensor& weight_hh, const Tensor& bias_hh) {
    return detail::rnn_step(gates, state, weight_hh, bias_hh, options_.nonlinearity);
  };
  return run(input, {hx}, step)[0];
}

LSTMCell::LSTMCell(const LSTMCellOptions& options, Generator& generator)
    : RecurrentCellBase("LSTMCell", options, 4, generator) {}

LSTMState LSTMCell::forward(const Tensor& input, const LSTMState& state) {
  detail::StepState next = run(input, {state.h, state.c}, detail::lstm_step);
  return {std::move(next[0]), std::move(next[1])};
}

GRUCell::GRUCell(const GRUCellOptions& options, Generator& generator)
    : RecurrentCellBase("GRUCell", options, 3, generator) {}

Tensor GRUCell::forward(const Tensor& input, const Tensor& hx) {
  return run(input, {hx}, detail::gru_step)[0];
}

}  // namespace minidl::nn
