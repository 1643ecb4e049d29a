// Model parallelism on two ranks: LeNet-5's convolutional stage runs on rank 0 and its fully
// connected stage on rank 1. Forward, rank 0 sends the activations (and the targets) to rank 1;
// backward, rank 1 sends the gradient of the loss with respect to those activations back, and
// rank 0 continues backward from its output with it. Each rank updates its own stage's weights.
#pragma once

#include <cstdint>
#include <memory>

#include "data/dataset.h"
#include "nn/sequential.h"

namespace minidl::examples {

/// LeNet-5 in two stages that share the whole model's modules.
struct LeNetStages {
  std::shared_ptr<nn::Sequential> features;    ///< conv, ReLU, pool, conv, ReLU, pool (rank 0)
  std::shared_ptr<nn::Sequential> classifier;  ///< flatten and the three linear layers (rank 1)
};

/// The two stages of make_lenet5(seed): the same modules, so the same initial weights.
LeNetStages split_lenet5(uint64_t seed);

/// Rank 0's part of one training step: forward `batch.input` through `features`, send the
/// activations and the targets to rank 1, receive d loss / d activations, and backward.
void features_step(nn::Module& features, const data::Example& batch);

/// Rank 1's part of one training step: receive activations and targets from rank 0, forward
/// through `classifier`, cross-entropy, backward, and send d loss / d activations to rank 0.
/// Returns the batch's mean loss.
double classifier_step(nn::Module& classifier);

}  // namespace minidl::examples
