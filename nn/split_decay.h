// split_decay: a model's parameters split into those weight decay should shrink and those it
// should leave alone, for two optimizer parameter groups (optim/param_group.h). The rule is the
// usual one: the `weight` of a Linear or Conv2d layer decays; biases, normalization weights and
// every other parameter (embeddings, scales, ...) do not, because pulling them towards zero does
// not regularize the function the layer computes.
#pragma once

#include <vector>

#include "core/tensor.h"
#include "nn/module.h"

namespace minidl::nn {

/// A model's parameters in two lists, each in parameters() order.
struct DecaySplit {
  std::vector<Tensor> decay;     ///< the `weight` of every Linear and Conv2d layer
  std::vector<Tensor> no_decay;  ///< everything else: biases, normalization weights, ...
};

/// Splits `module`'s parameters by their name and the layer that owns them (see DecaySplit).
DecaySplit split_decay(const Module& module);

}  // namespace minidl::nn
