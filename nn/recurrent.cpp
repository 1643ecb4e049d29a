// nn::RNN, LSTM, GRU.
#include "nn/recurrent.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "core/factories.h"
#include "core/ops/indexing.h"
#include "core/ops/linear.h"
#include "core/ops/view.h"

namespace minidl::nn {
namespace detail {

RecurrentBase::RecurrentBase(std::string name, const RecurrentOptions& options, int64_t gates,
                             Generator& generator, std::string extra)
    : name_(std::move(name)), extra_(std::move(extra)), options_(options) {
  check(options.input_size > 0 && options.hidden_size > 0,
        "input_size and hidden_size must be positive");
  check(options.num_layers >= 1, "num_layers must be at least 1, got {}", options.num_layers);
  with_provenance([&] {  // gates * hidden * input may overflow or exceed the memory
    for (int64_t layer = 0; layer < options.num_layers; ++layer) {
      const int64_t layer_input = layer == 0 ? options.input_size : options.hidden_size;
      register_recurrent_parameters(*this, fmt::format("_l{}", layer), gates, layer_input,
                                    options.hidden_size, options.bias);
    }
  });
  reset_parameters(generator);
}

void RecurrentBase::reset_parameters(Generator& generator) {
  reset_recurrent_parameters(*this, options_.hidden_size, generator);
}

std::string RecurrentBase::describe() const {
  return fmt::format(
      "{}(input_size={}, hidden_size={}{}{}{}{})", name_, options_.input_size, options_.hidden_size,
      options_.num_layers == 1 ? "" : fmt::format(", num_layers={}", options_.num_layers),
      options_.bias ? "" : ", bias=false", options_.batch_first ? ", batch_first=true" : "",
      extra_);
}

bool RecurrentBase::prepare(Tensor& input, StepState& initial) const {
  const int64_t input_size = options_.input_size;
  const int64_t hidden = options_.hidden_size;
  const int64_t layers = options_.num_layers;
  check(input.defined() && (input.dim() == 2 || input.dim() == 3) && input.size(-1) == input_size,
        "expected input of shape {} or unbatched [T, {}], got shape {}",
        options_.batch_first ? fmt::format("[N, T, {}]", input_size)
                             : fmt::format("[T, N, {}]", input_size),
        input_size, input.defined() ? input.shape() : Shape{});
  const bool unbatched = input.dim() == 2;
  if (unbatched) {
    input = unsqueeze(input, 1);
  } else if (options_.batch_first) {
    input = transpose(input, 0, 1);
  }
  check(input.size(0) > 0, "expected a sequence of at least one step, got input of shape {}",
        unbatched ? squeeze(input, 1).shape() : input.shape());
  const int64_t batch = input.size(1);
  const Shape expected = unbatched ? Shape{layers, hidden} : Shape{layers, batch, hidden};
  static constexpr const char* kStateNames[] = {"h_0", "c_0"};
  for (size_t k = 0; k < initial.size(); ++k) {
    Tensor& state = initial[k];
    if (!state.defined()) {
      state = zeros({layers, batch, hidden});
      continue;
    }
    check(state.shape() == expected, "expected {} of shape {} (num_layers, {}hidden_size), got {}",
          kStateNames[k], expected, unbatched ? "" : "batch, ", state.shape());
    if (unbatched) state = unsqueeze(state, 1);
  }
  return unbatched;
}

std::pair<Tensor, StepState> RecurrentBase::run(const Tensor& input, StepState initial,
                                                const StepFunction& step) const {
  Tensor sequence = input;
  const bool unbatched = prepare(sequence, initial);  // [T, N, in]; states [L, N, H]
  return with_provenance([&] {
    const int64_t steps = sequence.size(0);
    // the steps of the current layer's input, each [N, in]; then the layer's h at each step
    std::vector<Tensor> sequence_steps;
    sequence_steps.reserve(static_cast<size_t>(steps));
    for (int64_t t = 0; t < steps; ++t) {
      sequence_steps.push_back(squeeze(narrow(sequence, 0, t, 1), 0));
    }
    std::vector<std::vector<Tensor>> finals(initial.size());  // per state kind, per layer
    for (int64_t layer = 0; layer < options_.num_layers; ++layer) {
      const std::string suffix = fmt::format("_l{}", layer);
      const Tensor weight_ih = parameter("weight_ih" + suffix);
      const Tensor bias_ih = find_parameter("bias_ih" + suffix);
      const Tensor weight_hh = parameter("weight_hh" + suffix);
      const Tensor bias_hh = find_parameter("bias_hh" + suffix);
      StepState state;
      for (const Tensor& all_layers : initial) {
        state.push_back(squeeze(narrow(all_layers, 0, layer, 1), 0));  // [N, H]
      }
      for (Tensor& x : sequence_steps) {
        state = step(linear(x, weight_ih, bias_ih), state, weight_hh, bias_hh);
        x = state[0];
      }
      for (size_t k = 0; k < state.size(); ++k) finals[k].push_back(state[k]);
    }
    sequence = stack(sequence_steps, 0);  // [T, N, H]
    StepState final_states;
    for (const std::vector<Tensor>& per_layer : finals) {
      Tensor stacked = stack(per_layer, 0);  // [L, N, H]
      final_states.push_back(unbatched ? squeeze(stacked, 1) : stacked);
    }
    if (unbatched) {
      sequence = squeeze(sequence, 1);
    } else if (options_.batch_first) {
      sequence = contiguous(transpose(sequence, 0, 1));
    }
    return std::pair{sequence, final_states};
  });
}

}  // namespace detail

namespace {

RecurrentOptions common_options(const RNNOptions& options) {
  return {.input_size = options.input_size,
          .hidden_size = options.hidden_size,
          .num_layers = options.num_layers,
          .bias = options.bias,
          .batch_first = options.batch_first};
}

}  // namespace

RNN::RNN(const RNNOptions& options, Generator& generator)
    : RecurrentBase("RNN", common_options(options), 1, generator,
                    options.nonlinearity == RNNNonlinearity::ReLU ? ", nonlinearity=relu" : ""),
      options_(options) {}

RNNOutput RNN::forward(const Tensor& input, const Tensor& h_0) {
  const auto step = [this](const Tensor& gates, const detail::StepState& state,
                           const Tensor& weight_hh, const Tensor& bias_hh) {
    return detail::rnn_step(gates, state, weight_hh, bias_hh, options_.nonlinearity);
  };
  auto [output, states] = run(input, {h_0}, step);
  return {std::move(output), std::move(states[0])};
}

LSTM::LSTM(const LSTMOptions& options, Generator& generator)
    : RecurrentBase("LSTM", options, 4, generator) {}

LSTMOutput LSTM::forward(const Tensor& input, const LSTMState& initial) {
  auto [output, states] = run(input, {initial.h, initial.c}, detail::lstm_step);
  return {std::move(output), std::move(states[0]), std::move(states[1])};
}

GRU::GRU(const GRUOptions& options, Generator& generator)
    : RecurrentBase("GRU", options, 3, generator) {}

RNNOutput GRU::forward(const Tensor& input, const Tensor& h_0) {
  auto [output, states] = run(input, {h_0}, detail::gru_step);
  return {std::move(output), std::move(states[0])};
}

}  // namespace minidl::nn
