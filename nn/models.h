// Classic small models, ready to train: LeNet-5 and the MNIST MLP of the examples, benchmarks
// and tests, built from nn layers.
#pragma once

#include <memory>
#include <string>

#include "core/generator.h"
#include "nn/sequential.h"

namespace minidl::nn::models {

/// LeNet-5: conv 1→6 5×5, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, flatten,
/// 256→120→84→10 with ReLU between. Input [N, 1, 28, 28], output logits [N, 10].
std::shared_ptr<Sequential> lenet5(Generator& generator = default_generator());
/// Flatten, 784→128, ReLU, 128→10. Input [N, 1, 28, 28], output logits [N, 10].
std::shared_ptr<Sequential> mlp(Generator& generator = default_generator());
/// lenet5 for "lenet", mlp for "mlp"; throws for other names.
std::shared_ptr<Sequential> by_name(const std::string& name,
                                    Generator& generator = default_generator());

}  // namespace minidl::nn::models
