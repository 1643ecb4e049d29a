// The fixed model, optimizer and loader that fuzz_checkpoint loads into and make_corpus saves
// from, so that the seed corpus matches what the target expects.
#pragma once

#include <memory>

#include "data/dataloader.h"
#include "nn/activation.h"
#include "nn/batchnorm.h"
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/sequential.h"
#include "optim/adam.h"

namespace minidl::fuzz {

/// Linear(3→4), BatchNorm1d(4), ReLU, Dropout, Linear(4→2): parameters, buffers and a generator.
inline std::shared_ptr<nn::Sequential> make_model() {
  return std::make_shared<nn::Sequential>(
      nn::Linear({.in = 3, .out = 4}), nn::BatchNorm1d({.features = 4}), nn::ReLU(),
      nn::Dropout({.p = 0.25F}), nn::Linear({.in = 4, .out = 2}));
}

/// Adam over the model's parameters.
inline std::unique_ptr<optim::Adam> make_optimizer(const nn::Module& model) {
  return std::make_unique<optim::Adam>(model.parameters(), optim::AdamOptions{.lr = 0.01});
}

/// A loader over four examples of the model's input size.
inline data::DataLoader make_loader() {
  auto dataset = std::make_shared<data::TensorDataset>(Tensor::empty({4, 3}), Tensor::empty({4}));
  return data::DataLoader(dataset, {.batch_size = 2, .shuffle = true, .seed = 5});
}

}  // namespace minidl::fuzz
