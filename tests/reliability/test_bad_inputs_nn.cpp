// The bad-input table of nn (see bad_input_table.h): layers given a wrong input shape, layers
// whose parameters could never be allocated, and losses given impossible labels.
#include <cstdint>

#include "bad_input_table.h"
#include "minidl.h"

using namespace minidl;
using minidl::testing::BadInput;

namespace {

std::vector<BadInput> layer_rows() {
  return {
      {"Linear: last dim differs from in",
       [] {
         nn::Linear({.in = 4, .out = 2})(zeros({2, 5}));
       },
       "Linear(in=4, out=2): expected input of shape [*, 4] (last dim = in features), got shape "
       "[2, 5]"},
      {"Linear: a 0-d input", [] { nn::Linear({.in = 4, .out = 2})(zeros({})); },
       "Linear(in=4, out=2): expected input of shape [*, 4] (last dim = in features), got shape "
       "[]"},
      {"Conv2d: 3-D input",
       [] {
         nn::Conv2d({.in = 1, .out = 2, .kernel = 3})(zeros({1, 8, 8}));
       },
       "expected input of shape [N, 1, H, W], got shape [1, 8, 8]"},
      {"Conv2d: channels differ",
       [] {
         nn::Conv2d({.in = 3, .out = 2, .kernel = 3})(zeros({1, 1, 8, 8}));
       },
       "expected input of shape [N, 3, H, W], got shape [1, 1, 8, 8]"},
      {"Conv2d: input smaller than the kernel",
       [] {
         nn::Conv2d({.in = 1, .out = 2, .kernel = 5})(zeros({1, 1, 3, 3}));
       },
       "smaller than the (dilated) kernel"},
      {"MaxPool2d: 2-D input",
       [] {
         nn::MaxPool2d({.kernel = 2})(zeros({4, 4}));
       },
       "max_pool2d: input must be 4-D [N, C, H, W], got shape [4, 4]"},
      {"MaxPool2d: window larger than the input",
       [] {
         nn::MaxPool2d({.kernel = 5})(zeros({1, 1, 3, 3}));
       },
       "max_pool2d: input [1, 1, 3, 3] with padding 0 is smaller than the kernel 5"},
      {"AvgPool2d: 3-D input",
       [] {
         nn::AvgPool2d({.kernel = 2})(zeros({1, 4, 4}));
       },
       "avg_pool2d: input must be 4-D"},
      {"AvgPool2d: window larger than the input",
       [] {
         nn::AvgPool2d({.kernel = 5})(zeros({1, 1, 3, 3}));
       },
       "avg_pool2d: input [1, 1, 3, 3]"},
      {"MaxPool2d: dilation 0", [] { nn::MaxPool2d({.kernel = 2, .dilation = 0}); },
       "dilation must be >= 1, got 0"},
      {"max_pool2d: dilated window larger than the input",
       [] {
         max_pool2d(zeros({1, 1, 4, 4}), {.kernel = 3, .dilation = 2});
       },
       "max_pool2d: input [1, 1, 4, 4] with padding 0 is smaller than the kernel 3 (dilation 2)"},
      {"AvgPool2d: divisor_override 0", [] { nn::AvgPool2d({.kernel = 2, .divisor_override = 0}); },
       "divisor_override must be positive, got 0"},
      {"avg_pool2d: negative divisor_override",
       [] {
         avg_pool2d(zeros({1, 1, 4, 4}), {.kernel = 2, .divisor_override = -2});
       },
       "avg_pool2d: divisor_override must be positive, got -2"},
      {"AdaptiveAvgPool2d: output size 0",
       [] {
         nn::AdaptiveAvgPool2d({.output_size = {0, 2}});
       },
       "output size must be positive, got (0, 2)"},
      {"AdaptiveMaxPool2d: 3-D input",
       [] {
         nn::AdaptiveMaxPool2d({.output_size = 2})(zeros({1, 4, 4}));
       },
       "adaptive_max_pool2d: input must be 4-D [N, C, H, W], got shape [1, 4, 4]"},
      {"adaptive_avg_pool2d: empty input",
       [] {
         adaptive_avg_pool2d(zeros({1, 0, 4, 4}), {.output_size = 2});
       },
       "adaptive_avg_pool2d: empty input of shape [1, 0, 4, 4]"},
      {"adaptive_avg_pool2d: negative output size",
       [] {
         adaptive_avg_pool2d(zeros({1, 1, 4, 4}), {.output_size = -1});
       },
       "adaptive_avg_pool2d: output size must be positive, got -1"},
      {"adaptive_max_pool2d: output size whose window bounds overflow",
       [] {
         adaptive_max_pool2d(zeros({1, 1, 4, 4}), {.output_size = {int64_t{1} << 62, 1}});
       },
       "adaptive_max_pool2d: 4611686018427387905 * 4 overflows int64"},
      {"BatchNorm1d: features differ",
       [] {
         nn::BatchNorm1d({.features = 3})(zeros({2, 4}));
       },
       "expected input of shape [N, 3] or [N, 3, L], got shape [2, 4]"},
      {"BatchNorm1d: 4-D input",
       [] {
         nn::BatchNorm1d({.features = 3})(zeros({2, 3, 4, 5}));
       },
       "got shape [2, 3, 4, 5]"},
      {"BatchNorm2d: channels differ",
       [] {
         nn::BatchNorm2d({.features = 3})(zeros({2, 4, 5, 5}));
       },
       "expected input of shape [N, 3, H, W], got shape [2, 4, 5, 5]"},
      {"BatchNorm2d: 2-D input",
       [] {
         nn::BatchNorm2d({.features = 3})(zeros({2, 3}));
       },
       "got shape [2, 3]"},
      {"Flatten: start_dim past the input's dims",
       [] {
         nn::Flatten({.start_dim = 3})(zeros({2, 3}));
       },
       "Flatten(start_dim=3, end_dim=-1): flatten: dim 3 out of range for a tensor of 2 dims"},
      {"Softmax: dim out of range",
       [] {
         nn::Softmax({.dim = 2})(zeros({2, 3}));
       },
       "Softmax(dim=2): softmax: dim 2 out of range"},
      {"LogSoftmax: dim out of range",
       [] {
         nn::LogSoftmax({.dim = -3})(zeros({2, 3}));
       },
       "LogSoftmax(dim=-3): log_softmax: dim -3 out of range"},
      {"Dropout: p above 1", [] { nn::Dropout({.p = 1.5F}); },
       "Dropout(p=1.5): p must be in [0, 1], got 1.5"},
      {"Dropout: an undefined input", [] { nn::Dropout({.p = 0.5F})(Tensor()); },
       "Dropout(p=0.5): the input is an undefined tensor"},
      {"Sequential: wrong shape reaching layer 2",
       [] {
         nn::Sequential model(nn::Flatten(), nn::ReLU(), nn::Linear({.in = 10, .out = 2}));
         model(zeros({2, 3, 3}));
       },
       "Sequential: layer (2) Linear(in=10, out=2): expected input of shape [*, 10]"},
      {"Sequential: index out of range", [] { (void)nn::Sequential(nn::ReLU())[3]; },
       "index 3 out of range for 1 modules"},
  };
}

// The layers of sequence models: indices, normalized shapes, attention shapes and masks.
std::vector<BadInput> sequence_layer_rows() {
  return {
      {"Embedding: an index past the table",
       [] {
         nn::Embedding({.num_embeddings = 3, .embedding_dim = 2})(from_vector({0, 3}));
       },
       "Embedding(num_embeddings=3, embedding_dim=2): embedding: index 3 out of range for 3 "
       "embeddings"},
      {"Embedding: a fractional index",
       [] { nn::Embedding({.num_embeddings = 3, .embedding_dim = 2})(from_vector({1.5F})); },
       "embedding: index 1.5 is not a whole number"},
      {"Embedding: padding_idx outside the table",
       [] { nn::Embedding({.num_embeddings = 3, .embedding_dim = 2, .padding_idx = 3}); },
       "padding_idx must be in [-num_embeddings, num_embeddings)"},
      {"embedding: a 1-D weight", [] { nn::embedding(zeros({2}), zeros({4})); },
       "embedding: weight must be [num_embeddings, dim], got shape [4]"},
      {"LayerNorm: the input does not end with normalized_shape",
       [] {
         nn::LayerNorm({.normalized_shape = {4}})(zeros({2, 3}));
       },
       "layer_norm: input of shape [2, 3] does not end with normalized_shape [4]"},
      {"LayerNorm: empty normalized_shape", [] { nn::LayerNorm({.normalized_shape = {}}); },
       "normalized_shape must not be empty"},
      {"layer_norm: weight of another shape",
       [] {
         nn::layer_norm(zeros({2, 3}), {3}, zeros({2}));
       },
       "layer_norm: weight/bias of shape [2]; expected normalized_shape [3]"},
      {"GELU: unknown approximation", [] { nn::GELU({.approximate = "fast"}); },
       "GELU(approximate=fast): approximate must be \"none\" or \"tanh\", got \"fast\""},
      {"MultiheadAttention: embed_dim not divisible by num_heads",
       [] { nn::MultiheadAttention({.embed_dim = 6, .num_heads = 4}); },
       "embed_dim 6 must divide by num_heads 4"},
      {"MultiheadAttention: query width differs from embed_dim",
       [] {
         nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2});
         attention.forward(zeros({1, 2, 3}), zeros({1, 2, 4}), zeros({1, 2, 4}));
       },
       "MultiheadAttention(embed_dim=4, num_heads=2): expected query of shape [N, T, 4], got "
       "shape [1, 2, 3]"},
      {"MultiheadAttention: key and value lengths differ",
       [] {
         nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2});
         attention.forward(zeros({1, 2, 4}), zeros({1, 3, 4}), zeros({1, 2, 4}));
       },
       "expected key and value of one shape [1, S, 4], got shapes [1, 3, 4] and [1, 2, 4]"},
      {"MultiheadAttention: mask of the wrong shape",
       [] {
         nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2});
         Tensor x = zeros({1, 2, 4});
         attention.forward(x, x, x, zeros({3, 3}));
       },
       "expected attn_mask of shape [2, 2] (T, S), got shape [3, 3]"},
      {"MultiheadAttention: is_causal with T != S",
       [] {
         nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2});
         attention.forward(zeros({1, 2, 4}), zeros({1, 3, 4}), zeros({1, 3, 4}), {}, true);
       },
       "is_causal needs as many query as key positions, got T = 2 and S = 3"},
  };
}

std::vector<BadInput> loss_rows() {
  return {
      {"cross_entropy: label equal to the class count",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({3, 10}));
       },
       "target 10 at position 1 is out of range for 10 classes (valid: 0 to 9)"},
      {"cross_entropy: negative label",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({-1, 3}));
       },
       "target -1 at position 0 is out of range for 10 classes"},
      {"cross_entropy: fractional label",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({1.5F, 3}));
       },
       "target 1.5 at position 0 is not a whole number"},
      {"cross_entropy: batch sizes differ",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({1, 2, 3}));
       },
       "targets of shape [3] do not fit scores of shape [2, 10]"},
      {"cross_entropy: weight of the wrong size",
       [] {
         nn::cross_entropy(zeros({2, 3}), from_vector({0, 1}), {.weight = ones({4})});
       },
       "cross_entropy: weight of shape [4] does not fit 3 classes; expected shape [3]"},
      {"cross_entropy: label_smoothing above 1",
       [] {
         nn::cross_entropy(zeros({2, 3}), from_vector({0, 1}), {.label_smoothing = 1.5F});
       },
       "cross_entropy: label_smoothing 1.5 is outside [0, 1]"},
      {"cross_entropy: negative label_smoothing",
       [] {
         nn::cross_entropy(zeros({2, 3}), from_vector({0, 1}), {.label_smoothing = -0.1F});
       },
       "cross_entropy: label_smoothing -0.1 is outside [0, 1]"},
      {"cross_entropy: a negative label that is not ignore_index",
       [] {
         nn::cross_entropy(zeros({2, 3}), from_vector({-1, -2}), {.ignore_index = -1});
       },
       "cross_entropy: target -2 at position 1 is out of range for 3 classes (valid: 0 to 2)"},
      {"cross_entropy: sequence targets of the wrong length",
       [] {
         nn::cross_entropy(zeros({2, 3, 5}), zeros({2, 4}));
       },
       "cross_entropy: targets of shape [2, 4] do not fit scores of shape [2, 3, 5]; expected "
       "class indices of shape [2, 5] or probabilities of shape [2, 3, 5]"},
      {"nll_loss: weight of the wrong size",
       [] {
         nn::nll_loss(zeros({2, 3}), from_vector({0, 1}), {.weight = ones({2})});
       },
       "nll_loss: weight of shape [2] does not fit 3 classes; expected shape [3]"},
      {"nll_loss: sequence targets of the wrong shape",
       [] {
         nn::nll_loss(zeros({2, 3, 5}), zeros({2}));
       },
       "nll_loss: targets of shape [2] do not fit scores of shape [2, 3, 5]; expected class "
       "indices of shape [2, 5]"},
      {"binary_cross_entropy_with_logits: pos_weight that does not broadcast",
       [] {
         nn::binary_cross_entropy_with_logits(zeros({2, 3}), zeros({2, 3}),
                                              {.pos_weight = ones({2})});
       },
       "binary_cross_entropy_with_logits: pos_weight of shape [2] does not broadcast to logits "
       "of shape [2, 3]"},
  };
}

std::vector<BadInput> parameter_size_rows() {
  constexpr int64_t k2_40 = int64_t{1} << 40;
  return {
      {"Linear: in * out overflows int64", [] { nn::Linear({.in = k2_40, .out = k2_40}); },
       "Linear(in=1099511627776, out=1099511627776): zeros: shape [1099511627776, "
       "1099511627776] has too many elements"},
      {"Linear: a weight larger than the memory",
       [] { nn::Linear({.in = int64_t{1} << 25, .out = int64_t{1} << 25}); },
       "Linear(in=33554432, out=33554432): zeros: shape [33554432, 33554432]: Storage:"},
      {"Conv2d: the weight's element count overflows",
       [] { nn::Conv2d({.in = k2_40, .out = k2_40, .kernel = 1}); },
       "Conv2d(in=1099511627776, out=1099511627776, kernel=1, stride=1, padding=0): zeros: shape "
       "[1099511627776, 1099511627776, 1, 1] has too many elements"},
      {"Conv2d: a kernel larger than the memory",
       [] { nn::Conv2d({.in = 1, .out = 1, .kernel = int64_t{1} << 30}); },
       "zeros: shape [1, 1, 1073741824, 1073741824]: Storage:"},
      {"BatchNorm1d: more features than the memory holds",
       [] { nn::BatchNorm1d({.features = int64_t{1} << 60}); },
       "BatchNorm1d(features=1152921504606846976"},
  };
}

std::vector<BadInput> recurrent_rows() {
  return {
      {"LSTM: num_layers 0", [] { nn::LSTM({.input_size = 3, .hidden_size = 2, .num_layers = 0}); },
       "LSTM(input_size=3, hidden_size=2, num_layers=0): num_layers must be at least 1, got 0"},
      {"GRUCell: hidden_size 0", [] { nn::GRUCell({.input_size = 3, .hidden_size = 0}); },
       "GRUCell(input_size=3, hidden_size=0): input_size and hidden_size must be positive"},
      {"LSTM: gates * hidden_size overflows int64",
       [] { nn::LSTM({.input_size = 3, .hidden_size = int64_t{1} << 62}); },
       "LSTM(input_size=3, hidden_size=4611686018427387904): recurrent layer: 4 * "
       "4611686018427387904 overflows int64"},
      {"LSTM: last dim differs from input_size",
       [] {
         nn::LSTM({.input_size = 3, .hidden_size = 2}).forward(zeros({5, 2, 4}));
       },
       "LSTM(input_size=3, hidden_size=2): expected input of shape [T, N, 3] or unbatched [T, 3], "
       "got shape [5, 2, 4]"},
      {"GRU: a 4-D input",
       [] {
         nn::GRU({.input_size = 3, .hidden_size = 2, .batch_first = true})
             .forward(zeros({1, 5, 2, 3}));
       },
       "expected input of shape [N, T, 3] or unbatched [T, 3], got shape [1, 5, 2, 3]"},
      {"RNN: an empty sequence",
       [] {
         nn::RNN({.input_size = 3, .hidden_size = 2}).forward(zeros({0, 2, 3}));
       },
       "RNN(input_size=3, hidden_size=2): expected a sequence of at least one step, got input of "
       "shape [0, 2, 3]"},
      {"GRU: h_0 without the num_layers dim",
       [] {
         nn::GRU({.input_size = 3, .hidden_size = 2}).forward(zeros({5, 4, 3}), zeros({4, 2}));
       },
       "expected h_0 of shape [1, 4, 2] (num_layers, batch, hidden_size), got [4, 2]"},
      {"LSTM: c_0 of another batch size",
       [] {
         nn::LSTM({.input_size = 3, .hidden_size = 2, .num_layers = 2})
             .forward(zeros({5, 4, 3}), {zeros({2, 4, 2}), zeros({2, 3, 2})});
       },
       "expected c_0 of shape [2, 4, 2] (num_layers, batch, hidden_size), got [2, 3, 2]"},
      {"RNN: unbatched input with a batched h_0",
       [] {
         nn::RNN({.input_size = 3, .hidden_size = 2}).forward(zeros({5, 3}), zeros({1, 1, 2}));
       },
       "expected h_0 of shape [1, 2] (num_layers, hidden_size), got [1, 1, 2]"},
      {"RNNCell: last dim differs from input_size",
       [] {
         nn::RNNCell({.input_size = 3, .hidden_size = 2}).forward(zeros({4, 5}));
       },
       "RNNCell(input_size=3, hidden_size=2): expected input of shape [N, 3] or [3], got shape "
       "[4, 5]"},
      {"LSTMCell: cx of the wrong size",
       [] {
         nn::LSTMCell({.input_size = 3, .hidden_size = 2})
             .forward(zeros({4, 3}), {zeros({4, 2}), zeros({4, 3})});
       },
       "expected cx of shape [4, 2] for input of shape [4, 3], got shape [4, 3]"},
      {"GRUCell: an undefined input",
       [] { nn::GRUCell({.input_size = 3, .hidden_size = 2}).forward(Tensor{}); },
       "expected input of shape [N, 3] or [3], got shape []"},
  };
}

}  // namespace

TEST_CASE("every layer refuses a wrong input shape with a message naming itself and the shape") {
  minidl::testing::check_rows(layer_rows());
}

TEST_CASE("losses refuse labels out of range, fractional labels and mismatched batch sizes") {
  minidl::testing::check_rows(loss_rows());
}

TEST_CASE(
    "layers whose parameter count overflows or exceeds the memory refuse, naming themselves") {
  minidl::testing::check_rows(parameter_size_rows());
}

TEST_CASE("recurrent layers and cells refuse bad options, inputs and state shapes") {
  minidl::testing::check_rows(recurrent_rows());
}

TEST_CASE("sequence layers refuse bad indices, normalized shapes, attention shapes and masks") {
  minidl::testing::check_rows(sequence_layer_rows());
}
