// Differentiable weight penalties to add to a loss: l1_penalty and l2_penalty over a list of
// parameters (typically module.parameters()).
#pragma once

#include <vector>

#include "core/tensor.h"

namespace minidl::nn {

/// sum over tensors of sum |p| (a 0-d tensor; 0 for an empty list).
Tensor l1_penalty(const std::vector<Tensor>& parameters);
/// sum over tensors of sum p^2 (no factor 1/2: loss + lambda * l2_penalty adds 2 lambda p to
/// each gradient).
Tensor l2_penalty(const std::vector<Tensor>& parameters);

}  // namespace minidl::nn
