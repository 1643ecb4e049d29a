// Recurrent layers: each cell against PyTorch's cells, the multi-layer LSTM and GRU against
// PyTorch's, every layer against a step-by-step loop of its cells, shapes (batch_first,
// unbatched), initial states, parameter names and init, and gradcheck with respect to the input,
// the initial states and every parameter.
//
// Reference numbers: /usr/bin/python3 with torch 1.13, parameters and inputs filled with
// wave(shape, phase) (below; parameters in registration order with phases p0, p0 + 1, ...),
// e.g. for LSTMCell:
//   cell = torch.nn.LSTMCell(3, 2); for k, p in enumerate(cell.parameters()):
//   p.data.copy_(wave(p.shape, 10 + k)); cell(wave((2, 3), 0.3), (wave((2, 2), 1.1), wave((2, 2), 2.3)))
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;

namespace {

constexpr int64_t kBatch = 2;
constexpr int64_t kInput = 3;
constexpr int64_t kHidden = 2;

// wave(shape, phase)[i] = 0.5 * sin(0.7 * i + phase), row-major: smooth, distinct, no ties.
Tensor wave(const Shape& shape, double phase) {
  std::vector<float> values(static_cast<size_t>(numel_of(shape)));
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<float>(0.5 * std::sin(0.7 * static_cast<double>(i) + phase));
  }
  return from_vector(values, shape);
}

// Fills the parameters in registration order with wave(shape, first_phase + k).
void load_waves(nn::Module& module, double first_phase) {
  double phase = first_phase;
  for (const auto& [name, parameter] : module.named_parameters()) {
    module.set_parameter(name, wave(parameter.shape(), phase));
    phase += 1.0;
  }
}

// Gives `cell` the parameters of layer `layer` of a multi-layer recurrent layer.
void copy_layer(const nn::Module& from, int64_t layer, nn::Module& cell) {
  for (const std::string name : {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
    cell.set_parameter(name, from.parameter(name + "_l" + std::to_string(layer)));
  }
}

// Slice `index` of dim 0 without that dim.
Tensor at(const Tensor& tensor, int64_t index) { return narrow(tensor, 0, index, 1).squeeze(0); }

// Gradchecks `run` with respect to `inputs` (the input and initial states) and every parameter
// of `module` (rebound to gradcheck's copies, then restored). `run` returns the tensors whose
// values are checked (outputs and final states), flattened and joined into one.
void check_recurrent_gradients(
    nn::Module& module, const std::vector<Tensor>& inputs,
    const std::function<std::vector<Tensor>(const std::vector<Tensor>&)>& run) {
  const std::vector<nn::NamedTensor> originals = module.named_parameters();
  std::vector<Tensor> leaves;
  for (const Tensor& input : inputs) leaves.push_back(input.detach().clone().requires_grad_());
  for (const auto& [name, parameter] : originals) {
    leaves.push_back(parameter.detach().clone().requires_grad_());
  }
  const size_t first_parameter = inputs.size();
  auto fn = [&](const std::vector<Tensor>& values) {
    for (size_t i = 0; i < originals.size(); ++i) {
      module.set_parameter(originals[i].first, values[first_parameter + i]);
    }
    std::vector<Tensor> flat;
    for (const Tensor& result :
         run(std::vector<Tensor>(values.begin(), values.begin() + first_parameter))) {
      flat.push_back(reshape(result, {-1}));
    }
    return cat(flat, 0);
  };
  const GradcheckResult result = gradcheck(fn, leaves);
  for (const auto& [name, parameter] : originals) module.set_parameter(name, parameter);
  const auto worst = static_cast<size_t>(result.worst_input);
  const std::string worst_name = result.worst_input < 0 ? "none"
                                 : worst < first_parameter
                                     ? "input " + std::to_string(worst)
                                     : originals[worst - first_parameter].first;
  INFO(module.describe() << ": worst gradient is that of " << worst_name << ": " << result.message);
  CHECK(result.ok);
}

}  // namespace

TEST_CASE("RNNCell matches PyTorch's RNNCell with tanh and with relu") {
  const Tensor x = wave({kBatch, kInput}, 0.3);
  const Tensor h = wave({kBatch, kHidden}, 1.1);
  nn::RNNCell tanh_cell({.input_size = kInput, .hidden_size = kHidden});
  load_waves(tanh_cell, 10.0);
  check_close(tanh_cell.forward(x, h), {-0.7333192F, 0.6757711F, -0.1565868F, 0.2829803F});
  nn::RNNCell relu_cell(
      {.input_size = kInput, .hidden_size = kHidden, .nonlinearity = nn::RNNNonlinearity::ReLU});
  load_waves(relu_cell, 10.0);
  check_close(relu_cell.forward(x, h), {0.0F, 0.8212895F, 0.0F, 0.2909189F});
}

TEST_CASE("LSTMCell matches PyTorch's LSTMCell (gates i, f, g, o)") {
  nn::LSTMCell cell({.input_size = kInput, .hidden_size = kHidden});
  load_waves(cell, 10.0);
  const nn::LSTMState next = cell.forward(
      wave({kBatch, kInput}, 0.3), {wave({kBatch, kHidden}, 1.1), wave({kBatch, kHidden}, 2.3)});
  check_close(next.h, {0.1002328F, -0.0428153F, -0.0606247F, -0.1194309F});
  check_close(next.c, {0.3500153F, -0.1021719F, -0.1772416F, -0.4514136F});
}

TEST_CASE("GRUCell matches PyTorch's GRUCell (gates r, z, n with r * (h W_hn^T + b_hn))") {
  nn::GRUCell cell({.input_size = kInput, .hidden_size = kHidden});
  load_waves(cell, 10.0);
  check_close(cell.forward(wave({kBatch, kInput}, 0.3), wave({kBatch, kHidden}, 1.1)),
              {0.4464896F, 0.2728035F, 0.2582378F, -0.0212107F});
}

TEST_CASE("cells start from zeros when no state is given") {
  const Tensor x = wave({kBatch, kInput}, 0.3);
  const Tensor zero = zeros({kBatch, kHidden});
  nn::RNNCell rnn({.input_size = kInput, .hidden_size = kHidden});
  check_close(rnn.forward(x), rnn.forward(x, zero).to_vector());
  nn::GRUCell gru({.input_size = kInput, .hidden_size = kHidden});
  check_close(gru.forward(x), gru.forward(x, zero).to_vector());
  nn::LSTMCell lstm({.input_size = kInput, .hidden_size = kHidden});
  const nn::LSTMState from_default = lstm.forward(x);
  const nn::LSTMState from_zeros = lstm.forward(x, {zero, zero});
  check_close(from_default.h, from_zeros.h.to_vector());
  check_close(from_default.c, from_zeros.c.to_vector());
}

TEST_CASE("cells take unbatched input [input_size] and give states [hidden_size]") {
  nn::LSTMCell cell({.input_size = kInput, .hidden_size = kHidden});
  const Tensor x = wave({kInput}, 0.3);
  const nn::LSTMState state{wave({kHidden}, 1.1), wave({kHidden}, 2.3)};
  const nn::LSTMState unbatched = cell.forward(x, state);
  const nn::LSTMState batched =
      cell.forward(x.unsqueeze(0), {state.h.unsqueeze(0), state.c.unsqueeze(0)});
  CHECK(unbatched.h.shape() == Shape{kHidden});
  CHECK(unbatched.c.shape() == Shape{kHidden});
  check_close(unbatched.h, batched.h.to_vector());
  check_close(unbatched.c, batched.c.to_vector());
}

TEST_CASE("a two-layer batch_first LSTM matches PyTorch's") {
  nn::LSTM lstm(
      {.input_size = kInput, .hidden_size = kHidden, .num_layers = 2, .batch_first = true});
  load_waves(lstm, 20.0);
  const nn::LSTMOutput result =
      lstm.forward(wave({kBatch, 3, kInput}, 0.9),
                   {wave({2, kBatch, kHidden}, 1.7), wave({2, kBatch, kHidden}, 2.9)});
  CHECK(result.output.shape() == Shape{kBatch, 3, kHidden});
  check_close(result.output,
              {-0.1385845F, -0.2421880F, -0.2303271F, -0.3327806F, -0.2489850F, -0.3816647F,
               -0.0550627F, -0.1044482F, -0.1828425F, -0.2708536F, -0.2279786F, -0.3508771F});
  check_close(result.h_n, {0.1042766F, 0.1800030F, 0.0523605F, 0.1778513F, -0.2489850F, -0.3816647F,
                           -0.2279786F, -0.3508771F});
  check_close(result.c_n, {0.1717424F, 0.2753708F, 0.0834222F, 0.2693651F, -0.8928549F, -0.8624359F,
                           -0.7706190F, -0.7852684F});
}

TEST_CASE("a two-layer batch_first GRU matches PyTorch's") {
  nn::GRU gru({.input_size = kInput, .hidden_size = kHidden, .num_layers = 2, .batch_first = true});
  load_waves(gru, 20.0);
  const nn::RNNOutput result =
      gru.forward(wave({kBatch, 3, kInput}, 0.9), wave({2, kBatch, kHidden}, 1.7));
  check_close(result.output,
              {-0.4963761F, -0.5711719F, -0.5239757F, -0.6524468F, -0.5466166F, -0.6931763F,
               -0.2832662F, -0.2649494F, -0.3880612F, -0.4851753F, -0.4620273F, -0.5970446F});
  check_close(result.h_n, {0.1231145F, 0.4075190F, 0.0339160F, 0.3839943F, -0.5466166F, -0.6931763F,
                           -0.4620273F, -0.5970446F});
}

TEST_CASE("LSTM equals a step-by-step loop of LSTMCells, layer by layer") {
  constexpr int64_t kSteps = 4;
  constexpr int64_t kLayers = 3;
  nn::LSTM lstm({.input_size = kInput, .hidden_size = kHidden, .num_layers = kLayers});
  const Tensor input = wave({kSteps, kBatch, kInput}, 0.4);
  const Tensor h_0 = wave({kLayers, kBatch, kHidden}, 1.2);
  const Tensor c_0 = wave({kLayers, kBatch, kHidden}, 2.2);
  const nn::LSTMOutput result = lstm.forward(input, {h_0, c_0});

  std::vector<Tensor> sequence;
  for (int64_t t = 0; t < kSteps; ++t) sequence.push_back(at(input, t));
  for (int64_t layer = 0; layer < kLayers; ++layer) {
    nn::LSTMCell cell({.input_size = layer == 0 ? kInput : kHidden, .hidden_size = kHidden});
    copy_layer(lstm, layer, cell);
    nn::LSTMState state{at(h_0, layer), at(c_0, layer)};
    for (Tensor& step : sequence) {
      state = cell.forward(step, state);
      step = state.h;
    }
    check_close(at(result.h_n, layer), state.h.to_vector());
    check_close(at(result.c_n, layer), state.c.to_vector());
  }
  check_close(result.output, stack(sequence, 0).to_vector());
}

TEST_CASE("GRU and RNN equal a step-by-step loop of their cells, layer by layer") {
  constexpr int64_t kSteps = 4;
  constexpr int64_t kLayers = 2;
  const Tensor input = wave({kSteps, kBatch, kInput}, 0.4);
  const Tensor h_0 = wave({kLayers, kBatch, kHidden}, 1.2);
  // runs the cells of every layer over `input`; `make_cell(layer)` builds layer's cell
  auto loop = [&](const std::function<std::function<Tensor(const Tensor&, const Tensor&)>(int64_t)>&
                      make_cell,
                  const nn::RNNOutput& expected) {
    std::vector<Tensor> sequence;
    for (int64_t t = 0; t < kSteps; ++t) sequence.push_back(at(input, t));
    for (int64_t layer = 0; layer < kLayers; ++layer) {
      const auto step = make_cell(layer);
      Tensor h = at(h_0, layer);
      for (Tensor& x : sequence) x = h = step(x, h);
      check_close(at(expected.h_n, layer), h.to_vector());
    }
    check_close(expected.output, stack(sequence, 0).to_vector());
  };

  nn::GRU gru({.input_size = kInput, .hidden_size = kHidden, .num_layers = kLayers});
  std::vector<std::shared_ptr<nn::GRUCell>> gru_cells;
  loop(
      [&](int64_t layer) {
        gru_cells.push_back(std::make_shared<nn::GRUCell>(nn::GRUCellOptions{
            .input_size = layer == 0 ? kInput : kHidden, .hidden_size = kHidden}));
        copy_layer(gru, layer, *gru_cells.back());
        return [cell = gru_cells.back()](const Tensor& x, const Tensor& h) {
          return cell->forward(x, h);
        };
      },
      gru.forward(input, h_0));

  for (const auto nonlinearity : {nn::RNNNonlinearity::Tanh, nn::RNNNonlinearity::ReLU}) {
    nn::RNN rnn({.input_size = kInput,
                 .hidden_size = kHidden,
                 .num_layers = kLayers,
                 .nonlinearity = nonlinearity});
    std::vector<std::shared_ptr<nn::RNNCell>> rnn_cells;
    loop(
        [&](int64_t layer) {
          rnn_cells.push_back(std::make_shared<nn::RNNCell>(
              nn::RNNCellOptions{.input_size = layer == 0 ? kInput : kHidden,
                                 .hidden_size = kHidden,
                                 .nonlinearity = nonlinearity}));
          copy_layer(rnn, layer, *rnn_cells.back());
          return [cell = rnn_cells.back()](const Tensor& x, const Tensor& h) {
            return cell->forward(x, h);
          };
        },
        rnn.forward(input, h_0));
  }
}

TEST_CASE("batch_first transposes the input and output but not the states") {
  nn::GRU time_first({.input_size = kInput, .hidden_size = kHidden, .num_layers = 2});
  nn::GRU batch_first(
      {.input_size = kInput, .hidden_size = kHidden, .num_layers = 2, .batch_first = true});
  load_waves(time_first, 5.0);
  load_waves(batch_first, 5.0);
  const Tensor input = wave({4, kBatch, kInput}, 0.2);  // [T, N, in]
  const Tensor h_0 = wave({2, kBatch, kHidden}, 0.6);
  const nn::RNNOutput expected = time_first.forward(input, h_0);
  const nn::RNNOutput result = batch_first.forward(input.transpose(0, 1), h_0);
  CHECK(expected.output.shape() == Shape{4, kBatch, kHidden});
  CHECK(result.output.shape() == Shape{kBatch, 4, kHidden});
  CHECK(result.h_n.shape() == Shape{2, kBatch, kHidden});
  check_close(result.output, expected.output.transpose(0, 1).contiguous().to_vector());
  check_close(result.h_n, expected.h_n.to_vector());
}

TEST_CASE("initial states are used, and none given means zeros") {
  nn::LSTM lstm({.input_size = kInput, .hidden_size = kHidden, .num_layers = 2});
  const Tensor input = wave({3, kBatch, kInput}, 0.4);
  const Tensor zero = zeros({2, kBatch, kHidden});
  const nn::LSTMOutput from_default = lstm.forward(input);
  check_close(from_default.output, lstm.forward(input, {zero, zero}).output.to_vector());
  const std::vector<float> base = from_default.output.to_vector();
  const std::vector<float> from_h =
      lstm.forward(input, {wave({2, kBatch, kHidden}, 1.0), zero}).output.to_vector();
  const std::vector<float> from_c =
      lstm.forward(input, {zero, wave({2, kBatch, kHidden}, 2.0)}).output.to_vector();
  CHECK(std::fabs(from_h[0] - base[0]) > 1e-3F);
  CHECK(std::fabs(from_c[0] - base[0]) > 1e-3F);
}

TEST_CASE("unbatched input [T, input_size] gives the batch of one without its batch dim") {
  nn::LSTM lstm(
      {.input_size = kInput, .hidden_size = kHidden, .num_layers = 2, .batch_first = true});
  const Tensor input = wave({3, kInput}, 0.4);
  const Tensor h_0 = wave({2, kHidden}, 1.0);
  const Tensor c_0 = wave({2, kHidden}, 2.0);
  const nn::LSTMOutput unbatched = lstm.forward(input, {h_0, c_0});
  CHECK(unbatched.output.shape() == Shape{3, kHidden});
  CHECK(unbatched.h_n.shape() == Shape{2, kHidden});
  CHECK(unbatched.c_n.shape() == Shape{2, kHidden});
  const nn::LSTMOutput batched =
      lstm.forward(input.unsqueeze(0), {h_0.unsqueeze(1), c_0.unsqueeze(1)});
  check_close(unbatched.output, batched.output.to_vector());
  check_close(unbatched.h_n, batched.h_n.to_vector());
  check_close(unbatched.c_n, batched.c_n.to_vector());
}

TEST_CASE("parameters are named and shaped as PyTorch's and drawn from +-1/sqrt(hidden_size)") {
  nn::LSTM lstm({.input_size = 5, .hidden_size = 4, .num_layers = 2});
  std::vector<std::string> names;
  for (const auto& [name, parameter] : lstm.named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
                                          "bias_hh_l0", "weight_ih_l1", "weight_hh_l1",
                                          "bias_ih_l1", "bias_hh_l1"});
  CHECK(lstm.parameter("weight_ih_l0").shape() == Shape{16, 5});
  CHECK(lstm.parameter("weight_ih_l1").shape() == Shape{16, 4});
  CHECK(lstm.parameter("weight_hh_l1").shape() == Shape{16, 4});
  CHECK(lstm.parameter("bias_hh_l1").shape() == Shape{16});
  for (const Tensor& parameter : lstm.parameters()) {
    for (const float value : parameter.to_vector()) CHECK(std::fabs(value) <= 0.5F);
  }
  CHECK(nn::GRU({.input_size = 5, .hidden_size = 4}).parameter("weight_hh_l0").shape() ==
        Shape{12, 4});
  CHECK(nn::RNN({.input_size = 5, .hidden_size = 4, .bias = false}).named_parameters().size() == 2);
  nn::GRUCell cell({.input_size = 5, .hidden_size = 4});
  CHECK(cell.parameter("weight_ih").shape() == Shape{12, 5});
  CHECK(cell.parameter("bias_hh").shape() == Shape{12});
}

TEST_CASE("the same Generator seed draws the same parameters") {
  Generator first(7);
  Generator second(7);
  nn::GRU a({.input_size = 3, .hidden_size = 2}, first);
  nn::GRU b({.input_size = 3, .hidden_size = 2}, second);
  check_close(a.parameter("weight_hh_l0"), b.parameter("weight_hh_l0").to_vector(), 0.0F);
}

TEST_CASE("describe names the recurrent layer and the options that differ from the defaults") {
  CHECK(nn::LSTM({.input_size = 4, .hidden_size = 3}).describe() ==
        "LSTM(input_size=4, hidden_size=3)");
  CHECK(
      nn::GRU(
          {.input_size = 4, .hidden_size = 3, .num_layers = 2, .bias = false, .batch_first = true})
          .describe() ==
      "GRU(input_size=4, hidden_size=3, num_layers=2, bias=false, "
      "batch_first=true)");
  CHECK(nn::RNN({.input_size = 4, .hidden_size = 3, .nonlinearity = nn::RNNNonlinearity::ReLU})
            .describe() == "RNN(input_size=4, hidden_size=3, nonlinearity=relu)");
  CHECK(nn::LSTMCell({.input_size = 4, .hidden_size = 3}).describe() ==
        "LSTMCell(input_size=4, hidden_size=3)");
}

TEST_CASE("LSTM gradients match finite differences for the input, h_0, c_0 and every parameter") {
  nn::LSTM lstm({.input_size = kInput, .hidden_size = kHidden, .num_layers = 2});
  check_recurrent_gradients(
      lstm,
      {wave({3, kBatch, kInput}, 0.4), wave({2, kBatch, kHidden}, 1.0),
       wave({2, kBatch, kHidden}, 2.0)},
      [&](const std::vector<Tensor>& inputs) {
        const nn::LSTMOutput result = lstm.forward(inputs[0], {inputs[1], inputs[2]});
        return std::vector<Tensor>{result.output, result.h_n, result.c_n};
      });
}

TEST_CASE("GRU gradients match finite differences for the input, h_0 and every parameter") {
  nn::GRU gru({.input_size = kInput, .hidden_size = kHidden, .num_layers = 2, .batch_first = true});
  check_recurrent_gradients(gru, {wave({kBatch, 3, kInput}, 0.4), wave({2, kBatch, kHidden}, 1.0)},
                            [&](const std::vector<Tensor>& inputs) {
                              const nn::RNNOutput result = gru.forward(inputs[0], inputs[1]);
                              return std::vector<Tensor>{result.output, result.h_n};
                            });
}

TEST_CASE("RNN gradients match finite differences for the input, h_0 and every parameter") {
  nn::RNN rnn({.input_size = kInput, .hidden_size = kHidden, .num_layers = 2});
  check_recurrent_gradients(rnn, {wave({3, kBatch, kInput}, 0.4), wave({2, kBatch, kHidden}, 1.0)},
                            [&](const std::vector<Tensor>& inputs) {
                              const nn::RNNOutput result = rnn.forward(inputs[0], inputs[1]);
                              return std::vector<Tensor>{result.output, result.h_n};
                            });
}

TEST_CASE("cell gradients match finite differences for the input, the states and every parameter") {
  const Tensor x = wave({kBatch, kInput}, 0.3);
  const Tensor h = wave({kBatch, kHidden}, 1.1);
  const Tensor c = wave({kBatch, kHidden}, 2.3);
  nn::RNNCell rnn({.input_size = kInput, .hidden_size = kHidden});
  check_recurrent_gradients(rnn, {x, h}, [&](const std::vector<Tensor>& inputs) {
    return std::vector<Tensor>{rnn.forward(inputs[0], inputs[1])};
  });
  nn::LSTMCell lstm({.input_size = kInput, .hidden_size = kHidden});
  check_recurrent_gradients(lstm, {x, h, c}, [&](const std::vector<Tensor>& inputs) {
    const nn::LSTMState next = lstm.forward(inputs[0], {inputs[1], inputs[2]});
    return std::vector<Tensor>{next.h, next.c};
  });
  nn::GRUCell gru({.input_size = kInput, .hidden_size = kHidden});
  check_recurrent_gradients(gru, {x, h}, [&](const std::vector<Tensor>& inputs) {
    return std::vector<Tensor>{gru.forward(inputs[0], inputs[1])};
  });
}
