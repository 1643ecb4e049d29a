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

using minidl::Reduction;

/// Options shared by every loss.
struct LossOptions {
  Reduction reduction = Reduction::Mean;  ///< None, Mean or Sum over the per-element losses
};

inline namespace functional {

using minidl::gelu;    // the activation op of core/ops/math.h
using minidl::linear;  // the fused op of core/ops/linear.h

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
/// Cross-entropy of logits [N, C] against class indices [N] (whole numbers in [0, C)).
Tensor cross_entropy(const Tensor& logits, const Tensor& targets, const LossOptions& options = {});
/// Negative log-likelihood of log-probabilities [N, C] against class indices [N].
Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, const LossOptions& options = {});
/// Binary cross-entropy of logits against targets in [0, 1] of the same shape, computed
/// stably from the logits (no sigmoid then log).
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        const LossOptions& options = {});

}  // namespace functional

}  // namespace minidl::nn
