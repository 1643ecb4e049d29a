// Softmax and log-softmax along one dimension, stable for large logits. An empty tensor (any
// dim of size 0, the softmax dim included) gives an empty result of its shape, as in PyTorch.
#pragma once

#include "core/tensor.h"

namespace minidl {

/// exp(a - max) / sum(exp(a - max)) along `dim`.
Tensor softmax(const Tensor& a, int64_t dim);
/// a - max - log(sum(exp(a - max))) along `dim`.
Tensor log_softmax(const Tensor& a, int64_t dim);

}  // namespace minidl
