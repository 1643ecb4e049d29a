// Activation layers (see activation.h).
#include "nn/activation.h"

#include <fmt/format.h>

#include "core/ops/math.h"
#include "core/ops/softmax.h"

namespace minidl::nn {

Tensor ReLU::forward(const Tensor& input) { return relu(input); }

Tensor LeakyReLU::forward(const Tensor& input) {
  return leaky_relu(input, options_.negative_slope);
}

std::string LeakyReLU::describe() const {
  return fmt::format("LeakyReLU(negative_slope={})", options_.negative_slope);
}

Tensor Sigmoid::forward(const Tensor& input) { return sigmoid(input); }

Tensor Tanh::forward(const Tensor& input) { return tanh(input); }

GELU::GELU(const GELUOptions& options) : options_(options) {
  check(options.approximate == "none" || options.approximate == "tanh",
        "approximate must be \"none\" or \"tanh\", got \"{}\"", options.approximate);
}

Tensor GELU::forward(const Tensor& input) { return gelu(input, options_.approximate); }

std::string GELU::describe() const {
  return fmt::format("GELU(approximate={})", options_.approximate);
}

template <bool kLog>
Tensor SoftmaxLayer<kLog>::forward(const Tensor& input) {
  return with_provenance(
      [&] { return kLog ? log_softmax(input, options_.dim) : softmax(input, options_.dim); });
}

template <bool kLog>
std::string SoftmaxLayer<kLog>::describe() const {
  return fmt::format("{}(dim={})", kLog ? "LogSoftmax" : "Softmax", options_.dim);
}

template class SoftmaxLayer<false>;
template class SoftmaxLayer<true>;

}  // namespace minidl::nn
