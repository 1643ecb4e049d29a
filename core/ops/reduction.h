// Reductions over the whole tensor or a list of dims (keepdim keeps them as size 1), and
// sum_to, the adjoint of broadcasting.
//
// Empty tensors, compared with PyTorch (1.13):
//   sum      over no elements is 0, as in PyTorch.
//   mean     over no elements throws (PyTorch gives nan): a silent NaN loss helps nobody.
//   var      with count - correction <= 0 throws (PyTorch gives nan and warns).
//   max/min  over no elements throws, as in PyTorch; argmax too.
// An empty tensor reduced over non-empty dims (e.g. [0, 3] over dim 1) gives an empty result
// ([0]) for every reduction, as in PyTorch.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace minidl {

/// Sum of all elements (a 0-d tensor); 0 for an empty tensor.
Tensor sum(const Tensor& a);
/// Sum over `dims` (all dims when empty).
Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
/// Mean of all elements; throws for an empty tensor.
Tensor mean(const Tensor& a);
/// Mean over `dims` (all dims when empty).
Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
/// Variance over `dims` (all dims when empty), dividing by (count - correction):
/// correction 1 (default) is the unbiased sample variance, 0 the population variance.
Tensor var(const Tensor& a, const std::vector<int64_t>& dims = {}, bool keepdim = false,
           int64_t correction = 1);
/// Largest element; the gradient is shared equally by tied maxima. Throws for an empty tensor.
Tensor max(const Tensor& a);
/// Largest element over `dims`.
Tensor max(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
/// Smallest element; the gradient is shared equally by tied minima.
Tensor min(const Tensor& a);
/// Smallest element over `dims`.
Tensor min(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
/// Flat index of the largest element (first on ties), as a 0-d tensor. Not differentiable.
/// Throws for an empty tensor.
Tensor argmax(const Tensor& a);
/// Index of the largest element along `dim` (first on ties). Not differentiable.
Tensor argmax(const Tensor& a, int64_t dim, bool keepdim = false);
/// Sums `grad` over broadcast dims so it has `shape` (the adjoint of broadcasting to grad's shape).
Tensor sum_to(const Tensor& grad, const Shape& shape);

}  // namespace minidl
