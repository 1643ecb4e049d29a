// nn::RNN, LSTM, GRU: multi-layer recurrent layers over whole sequences, with libtorch's names,
// parameter names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._l1, ...), gate order
// (i, f, g, o for LSTM; r, z, n for GRU) and init. Each layer runs the step function of
// nn/recurrent_cell.h once per time step on that step's input projection x_t W_ih^T + b_ih; the
// hidden states of one layer are the input of the next. The input is split into steps once and
// the layers pass per-step tensors to each other: a slice of a tensor (narrow) has a backward
// that fills a gradient of the whole tensor, so slicing one [T, N, G*H] projection of all steps
// (PyTorch's way) costs T whole-size fills and adds per layer in minidl; one small linear per
// step measured 16% fewer instructions for a 128-wide LSTM over 10 steps.
//
// Shapes (T steps, N batch, L num_layers, H hidden_size):
//   input [T, N, input_size] ([N, T, input_size] with batch_first) or unbatched [T, input_size]
//   initial and final states [L, N, H] (unbatched: [L, H]), whatever batch_first says
//   output [T, N, H] ([N, T, H] with batch_first; unbatched: [T, H]): the last layer's h per step
// Not supported: dropout between layers, bidirectional, proj_size.
#pragma once

#include <cstdint>
#include <string>

#include "core/generator.h"
#include "nn/module.h"
#include "nn/recurrent_cell.h"

namespace minidl::nn {

/// Options of RNN.
struct RNNOptions {
  int64_t input_size = 0;    ///< features of the input
  int64_t hidden_size = 0;   ///< features of the hidden state
  int64_t num_layers = 1;    ///< stacked layers (>= 1)
  bool bias = true;          ///< learn bias_ih_l* and bias_hh_l*
  bool batch_first = false;  ///< input and output are [N, T, *] instead of [T, N, *]
  RNNNonlinearity nonlinearity = RNNNonlinearity::Tanh;  ///< tanh (default) or relu
};

/// Options of LSTM and GRU.
struct RecurrentOptions {
  int64_t input_size = 0;    ///< features of the input
  int64_t hidden_size = 0;   ///< features of the hidden (and cell) state
  int64_t num_layers = 1;    ///< stacked layers (>= 1)
  bool bias = true;          ///< learn bias_ih_l* and bias_hh_l*
  bool batch_first = false;  ///< input and output are [N, T, *] instead of [T, N, *]
};
/// Options of LSTM.
using LSTMOptions = RecurrentOptions;
/// Options of GRU.
using GRUOptions = RecurrentOptions;

/// What RNN and GRU return.
struct RNNOutput {
  Tensor output;  ///< the last layer's hidden state at every step, [T, N, H]
  Tensor h_n;     ///< every layer's hidden state after the last step, [L, N, H]
};

/// What LSTM returns.
struct LSTMOutput {
  Tensor output;  ///< the last layer's hidden state at every step, [T, N, H]
  Tensor h_n;     ///< every layer's hidden state after the last step, [L, N, H]
  Tensor c_n;     ///< every layer's cell state after the last step, [L, N, H]
};

namespace detail {

/// What RNN, LSTM and GRU share: parameters, shape checks, batch_first, unbatched inputs and
/// the loop over layers and steps.
class RecurrentBase : public Module {
 public:
  /// Redraws every parameter uniformly from [-1/sqrt(hidden_size), 1/sqrt(hidden_size)].
  void reset_parameters(Generator& generator = default_generator());
  /// `Name(input_size=4, hidden_size=3)`, plus the options that differ from the defaults.
  std::string describe() const final;
  /// The options it was built with (RNN adds its nonlinearity).
  const RecurrentOptions& options() const { return options_; }

 protected:
  /// Checks the options and draws the parameters; `name` and `extra` are for describe().
  RecurrentBase(std::string name, const RecurrentOptions& options, int64_t gates,
                Generator& generator, std::string extra = "");
  /// Runs every layer over `input` from `initial` (one [L, N, H] tensor per state kind,
  /// undefined means zeros); returns the output and the final states, shaped as the input.
  std::pair<Tensor, StepState> run(const Tensor& input, StepState initial,
                                   const StepFunction& step) const;

 private:
  // Checks shapes; makes the input [T, N, in] and the states [L, N, H]; returns whether the
  // input was unbatched.
  bool prepare(Tensor& input, StepState& initial) const;
  std::string name_;
  std::string extra_;
  RecurrentOptions options_;
};

}  // namespace detail

/// A multi-layer Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (or relu).
class RNN : public detail::RecurrentBase {
 public:
  /// Draws the parameters from `generator` (by default the default Generator).
  explicit RNN(const RNNOptions& options, Generator& generator = default_generator());
  /// Runs over `input` from h_0 [L, N, H] (undefined: zeros).
  RNNOutput forward(const Tensor& input, const Tensor& h_0 = {});
  /// The options it was built with.
  const RNNOptions& options() const { return options_; }

 private:
  RNNOptions options_;
};

/// A multi-layer LSTM (gates i, f, g, o; see LSTMCell).
class LSTM : public detail::RecurrentBase {
 public:
  /// Draws the parameters from `generator` (by default the default Generator).
  explicit LSTM(const LSTMOptions& options, Generator& generator = default_generator());
  /// Runs over `input` from (h_0, c_0), each [L, N, H] (undefined: zeros).
  LSTMOutput forward(const Tensor& input, const LSTMState& initial = {});
};

/// A multi-layer GRU (gates r, z, n; see GRUCell).
class GRU : public detail::RecurrentBase {
 public:
  /// Draws the parameters from `generator` (by default the default Generator).
  explicit GRU(const GRUOptions& options, Generator& generator = default_generator());
  /// Runs over `input` from h_0 [L, N, H] (undefined: zeros).
  RNNOutput forward(const Tensor& input, const Tensor& h_0 = {});
};

}  // namespace minidl::nn
