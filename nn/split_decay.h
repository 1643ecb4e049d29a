// split_decay: a model's parameters split into those weight decay should shrink and those it
// should leave alone, for two optimizer parameter groups (optim/param_group.h). The rule: every
// weight matrix or kernel decays (a parameter of two or more dimensions: the weights of Linear
// and Conv2d layers, an LSTM's weight_ih/weight_hh, attention's in_proj_weight); vectors do not
// (biases, normalization weights and shifts), and neither do embeddings, whose rows are looked
// up rather than multiplied, nor a LayerNorm's scales of any shape: pulling those towards zero
// does not regularize the function the layer computes.
#pragma once

#include <vector>

#include "core/tensor.h"
#include "nn/module.h"

namespace minidl::nn {

/// A model's parameters in two lists, each in parameters() order.
struct DecaySplit {
  std::vector<Tensor>
      decay;  ///< every weight matrix or kernel (not an Embedding's or a LayerNorm's)
  std::vector<Tensor> no_decay;  ///< everything else: biases, norms' weights, embeddings, ...
};

/// Splits `module`'s parameters by their dimensions and the layer that owns them (DecaySplit).
DecaySplit split_decay(const Module& module);

}  // namespace minidl::nn
