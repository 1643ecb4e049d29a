// nn::RNNCell, LSTMCell, GRUCell: one time step of a recurrent layer, with libtorch's names,
// parameter names (weight_ih, weight_hh, bias_ih, bias_hh), gate order and init. The step
// functions in `detail` take the input projection x W_ih^T + b_ih and are shared with the
// multi-step layers of nn/recurrent.h, which call them once per time step.
//
// Shapes (N batch, H hidden_size, G gates: 1 for RNN, 4 for LSTM, 3 for GRU):
//   input [N, input_size] or unbatched [input_size]; states [N, H] or [H]
//   weight_ih [G*H, input_size], weight_hh [G*H, H], bias_ih [G*H], bias_hh [G*H]
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/generator.h"
#include "nn/module.h"

namespace minidl::nn {

/// The nonlinearity of RNN and RNNCell: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh).
enum class RNNNonlinearity { Tanh, ReLU };

/// Options of RNNCell.
struct RNNCellOptions {
  int64_t input_size = 0;                                ///< features of the input
  int64_t hidden_size = 0;                               ///< features of the hidden state
  bool bias = true;                                      ///< learn bias_ih and bias_hh
  RNNNonlinearity nonlinearity = RNNNonlinearity::Tanh;  ///< tanh (default) or relu
};

/// Options of LSTMCell and GRUCell.
struct RecurrentCellOptions {
  int64_t input_size = 0;   ///< features of the input
  int64_t hidden_size = 0;  ///< features of the hidden (and cell) state
  bool bias = true;         ///< learn bias_ih and bias_hh
};
/// Options of LSTMCell.
using LSTMCellOptions = RecurrentCellOptions;
/// Options of GRUCell.
using GRUCellOptions = RecurrentCellOptions;

/// The hidden state h and cell state c of an LSTM ([N, H] for a cell, [num_layers, N, H] for
/// a layer); undefined tensors mean zeros.
struct LSTMState {
  Tensor h;  ///< hidden state
  Tensor c;  ///< cell state
};

namespace detail {

/// One step's state: {h} for RNN and GRU, {h, c} for LSTM.
using StepState = std::vector<Tensor>;

/// h' = act(gates + h W_hh^T + b_hh), where gates = x W_ih^T + b_ih [N, H].
StepState rnn_step(const Tensor& gates, const StepState& state, const Tensor& weight_hh,
                   const Tensor& bias_hh, RNNNonlinearity nonlinearity);
/// LSTM step with gates = x W_ih^T + b_ih [N, 4H] in the order i, f, g, o.
StepState lstm_step(const Tensor& gates, const StepState& state, const Tensor& weight_hh,
                    const Tensor& bias_hh);
/// GRU step with gates = x W_ih^T + b_ih [N, 3H] in the order r, z, n.
StepState gru_step(const Tensor& gates, const StepState& state, const Tensor& weight_hh,
                   const Tensor& bias_hh);
/// A step function: (gates, state, weight_hh, bias_hh) -> next state.
using StepFunction =
    std::function<StepState(const Tensor&, const StepState&, const Tensor&, const Tensor&)>;

/// Registers weight_ih<suffix> [gates*H, input_size], weight_hh<suffix> [gates*H, H] and, with
/// `bias`, bias_ih<suffix> and bias_hh<suffix> [gates*H] on `module` (filled later).
void register_recurrent_parameters(Module& module, const std::string& suffix, int64_t gates,
                                   int64_t input_size, int64_t hidden_size, bool bias);
/// Draws every parameter of `module` uniformly from [-1/sqrt(H), 1/sqrt(H)] (as PyTorch).
void reset_recurrent_parameters(Module& module, int64_t hidden_size, Generator& generator);

/// What RNNCell, LSTMCell and GRUCell share: parameters, shape checks and unbatched inputs.
class RecurrentCellBase : public Module {
 public:
  /// Redraws every parameter uniformly from [-1/sqrt(hidden_size), 1/sqrt(hidden_size)].
  void reset_parameters(Generator& generator = default_generator());
  /// `Name(input_size=4, hidden_size=3)`, plus `bias=false` and `extra` when given.
  std::string describe() const final;
  /// The options it was built with (RNNCell adds its nonlinearity).
  const RecurrentCellOptions& options() const { return options_; }

 protected:
  /// Checks the options and draws the parameters; `name` and `extra` are for describe().
  RecurrentCellBase(std::string name, const RecurrentCellOptions& options, int64_t gates,
                    Generator& generator, std::string extra = "");
  /// Checks `input` and `state` (undefined entries mean zeros), projects the input with
  /// weight_ih and runs `step`; unbatched inputs give unbatched states.
  StepState run(const Tensor& input, StepState state, const StepFunction& step) const;

 private:
  // Checks shapes, makes the input and states batched; returns whether they were unbatched.
  bool prepare(Tensor& input, StepState& state) const;
  std::string name_;
  std::string extra_;
  RecurrentCellOptions options_;
};

}  // namespace detail

/// An Elman RNN cell: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).
class RNNCell : public detail::RecurrentCellBase {
 public:
  /// Draws the parameters from `generator` (by default the default Generator).
  explicit RNNCell(const RNNCellOptions& options, Generator& generator = default_generator());
  /// The next hidden state [N, H] from input [N, input_size] and hx [N, H] (undefined: zeros).
  Tensor forward(const Tensor& input, const Tensor& hx = {});
  /// The options it was built with.
  const RNNCellOptions& options() const { return options_; }

 private:
  RNNCellOptions options_;
};

/// An LSTM cell (gates i, f, g, o): c' = f * c + i * g, h' = o * tanh(c').
class LSTMCell : public detail::RecurrentCellBase {
 public:
  /// Draws the parameters from `generator` (by default the default Generator).
  explicit LSTMCell(const LSTMCellOptions& options, Generator& generator = default_generator());
  /// The next (h, c), each [N, H], from input [N, input_size] and (h, c) (undefined: zeros).
  LSTMState forward(const Tensor& input, const LSTMState& state = {});
};

/// A GRU cell (gates r, z, n): n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),
/// h' = (1 - z) * n + z * h.
class GRUCell : public detail::RecurrentCellBase {
 public:
  /// Draws the parameters from `generator` (by default the default Generator).
  explicit GRUCell(const GRUCellOptions& options, Generator& generator = default_generator());
  /// The next hidden state [N, H] from input [N, input_size] and hx [N, H] (undefined: zeros).
  Tensor forward(const Tensor& input, const Tensor& hx = {});
};

}  // namespace minidl::nn
