// nn::Linear.
#include "nn/linear.h"

#include "core/factories.h"
#include "nn/functional.h"
#include "nn/init.h"

namespace minidl::nn {

Linear::Linear(const LinearOptions& options, Generator& generator) : options_(options) {
  check(options.in > 0 && options.out > 0, "in and out must be positive");
  with_provenance([&] {  // in * out may overflow or exceed the memory
    register_parameter("weight", zeros({options.out, options.in}));
    if (options.bias) register_parameter("bias", zeros({options.out}));
  });
  reset_parameters(generator);
}

void Linear::reset_parameters(Generator& generator) {
  init::layer_default_(weight(), bias(), generator);
}

Tensor Linear::forward(const Tensor& input) {
  check(input.dim() >= 1 && input.size(-1) == options_.in,
        "expected input of shape [*, {}] (last dim = in features), got shape {}", options_.in,
        input.shape());
  return with_provenance([&] { return linear(input, weight(), bias()); });
}

std::string Linear::describe() const {
  return fmt::format("Linear(in={}, out={}{})", options_.in, options_.out,
                     options_.bias ? "" : ", bias=false");
}

}  // namespace minidl::nn
