// LeNet-5 and the MLP (see models.h).
#include "nn/models.h"

#include "core/error.h"
#include "nn/activation.h"
#include "nn/conv.h"
#include "nn/flatten.h"
#include "nn/linear.h"
#include "nn/pooling.h"

namespace minidl::nn::models {

std::shared_ptr<Sequential> lenet5(Generator& g) {
  return std::make_shared<Sequential>(
      Conv2d({.in = 1, .out = 6, .kernel = 5}, g), ReLU(), MaxPool2d({.kernel = 2}),
      Conv2d({.in = 6, .out = 16, .kernel = 5}, g), ReLU(), MaxPool2d({.kernel = 2}), Flatten(),
      Linear({.in = 256, .out = 120}, g), ReLU(), Linear({.in = 120, .out = 84}, g), ReLU(),
      Linear({.in = 84, .out = 10}, g));
}

std::shared_ptr<Sequential> mlp(Generator& g) {
  return std::make_shared<Sequential>(Flatten(), Linear({.in = 784, .out = 128}, g), ReLU(),
                                      Linear({.in = 128, .out = 10}, g));
}

std::shared_ptr<Sequential> by_name(const std::string& name, Generator& generator) {
  if (name == "lenet") return lenet5(generator);
  if (name == "mlp") return mlp(generator);
  throw Error(fmt::format("unknown model '{}' (expected lenet or mlp)", name));
}

}  // namespace minidl::nn::models
