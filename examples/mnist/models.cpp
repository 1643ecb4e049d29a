// LeNet-5 and the MLP, built from nn layers with one seeded Generator for all initial weights.
#include "examples/mnist/models.h"

#include "core/error.h"
#include "nn/activation.h"
#include "nn/conv.h"
#include "nn/flatten.h"
#include "nn/linear.h"
#include "nn/pooling.h"

namespace minidl::examples {

std::shared_ptr<nn::Sequential> make_lenet5(uint64_t seed) {
  Generator g(seed);
  return std::make_shared<nn::Sequential>(
      nn::Conv2d({.in = 1, .out = 6, .kernel = 5}, g), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
      nn::Conv2d({.in = 6, .out = 16, .kernel = 5}, g), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
      nn::Flatten(), nn::Linear({.in = 256, .out = 120}, g), nn::ReLU(),
      nn::Linear({.in = 120, .out = 84}, g), nn::ReLU(), nn::Linear({.in = 84, .out = 10}, g));
}

std::shared_ptr<nn::Sequential> make_mlp(uint64_t seed) {
  Generator g(seed);
  return std::make_shared<nn::Sequential>(nn::Flatten(), nn::Linear({.in = 784, .out = 128}, g),
                                          nn::ReLU(), nn::Linear({.in = 128, .out = 10}, g));
}

std::shared_ptr<nn::Sequential> make_model(const std::string& name, uint64_t seed) {
  if (name == "lenet") return make_lenet5(seed);
  if (name == "mlp") return make_mlp(seed);
  throw Error(fmt::format("unknown model '{}' (expected lenet or mlp)", name));
}

}  // namespace minidl::examples
