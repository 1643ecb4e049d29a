// nn::functional: the stateless forms of the layers and losses. Layers call these with their
// parameters; users can call them directly. The namespace is inline, so `nn::cross_entropy`
// and `nn::functional::cross_entropy` name the same function.
#pragma once

#include <vector>

#include "core/generator.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/loss.h"
#include "core/ops/math.h"
#include "core/ops/pooling.h"
#include "core/tensor.h"

namespace minidl::nn {

using minidl::BCEWithLogitsOptions;
using minidl::CrossEntropyOptions;
using minidl::NLLLossOptions;
using minidl::Reduction;

/// Options of the losses without options of their own (mse_loss, l1_loss).
struct LossOptions {
  Reduction reduction = Reduction::Mean;  ///< None, Mean or Sum over the per-element losses
};

inline namespace functional {

using minidl::gelu;    // the activation op of core/ops/math.h
using minidl::linear;  // the fused op of core/ops/linear.h
// The fused losses of core/ops/loss.h with their options (see there for the formulas):
// cross_entropy (weight, ignore_index, label_smoothing, probability targets, [N, C, d1, ...]),
// nll_loss (weight, ignore_index) and binary_cross_entropy_with_logits (pos_weight).
using minidl::binary_cross_entropy_with_logits;
using minidl::cross_entropy;
using minidl::nll_loss;

/// In training, zeroes each element with probability p (drawn from `generator`) and scales the
/// rest by 1 / (1 - p); otherwise returns the input unchanged.
Tensor dropout(const Tensor& input, float p, bool training,
               Generator& generator = default_generator());

/// Batch normalization over every dim but dim 1 (channels) of input [N, C, *].
/// Training: normalizes with the batch mean and biased variance and, when running_mean /
/// running_var are defined, updates them in place: r = (1 - momentum) r + momentum * batch
/// statistic (the variance unbiased). Evaluation: normalizes with the running statistics.
/// weight / bias [C] (gamma / beta) may be undefined (no affine transform).
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, float momentum,
                  float eps);

/// Mean squared error (input - target)^2; input and target must have one shape.
Tensor mse_loss(const Tensor& input, const Tensor& target, const LossOptions& options = {});
/// Mean absolute error |input - target|; input and target must have one shape.
Tensor l1_loss(const Tensor& input, const Tensor& target, const LossOptions& options = {});

}  // namespace functional

}  // namespace minidl::nn
