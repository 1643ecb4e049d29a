// The two MNIST models of the examples and benchmarks: LeNet-5 and a 784-128-10 MLP.
#pragma once

#include <memory>
#include <string>

#include "nn/sequential.h"

namespace minidl::examples {

/// LeNet-5: conv 1→6 5×5, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, flatten,
/// 256→120→84→10 with ReLU between. Input [N, 1, 28, 28], output logits [N, 10].
std::shared_ptr<nn::Sequential> make_lenet5(uint64_t seed);
/// Flatten, 784→128, ReLU, 128→10. Input [N, 1, 28, 28], output logits [N, 10].
std::shared_ptr<nn::Sequential> make_mlp(uint64_t seed);
/// "lenet" or "mlp".
std::shared_ptr<nn::Sequential> make_model(const std::string& name, uint64_t seed);

}  // namespace minidl::examples
