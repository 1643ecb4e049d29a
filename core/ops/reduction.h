// Reductions over the whole tensor or a list of dims (keepdim keeps them as size 1), and
// sum_to, the adjoint of broadcasting.
//
// Empty tensors, compared with PyTorch (1.13):
//   sum      over no elements is 0, as in PyTorch.
//   mean     over no elements throws (PyTorch gives nan): a silent NaN loss helps nobody.
//   var      with count - correction <= 0 throws (PyTorch gives nan and warns).
//   max/min  over no elements throws, as in PyTorch; argmax and argmin too.
// NaN propagates as in PyTorch: max and min of a range holding a NaN are NaN, and argmax,
// argmin and the indices of max/min along a dim point at the first NaN.
// An empty tensor reduced over non-empty dims (e.g. [0, 3] over dim 1) gives an empty result
// ([0]) for every reduction, as in PyTorch.
#pragma once

#include <concepts>
#include <tuple>
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
/// Standard deviation, sqrt(var) with the same dims, keepdim and correction (default 1). Call it
/// `minidl::std` where `using namespace minidl` is in effect (like torch::std).
Tensor std(const Tensor& a, const std::vector<int64_t>& dims = {}, bool keepdim = false,
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
/// Flat index of the smallest element (first on ties), as a 0-d tensor. Not differentiable.
Tensor argmin(const Tensor& a);
/// Index of the smallest element along `dim` (first on ties). Not differentiable.
Tensor argmin(const Tensor& a, int64_t dim, bool keepdim = false);

namespace detail {
// What the max/min templates below call: (values, indices) along one wrapped dim.
std::tuple<Tensor, Tensor> max_along(const Tensor& a, int64_t dim, bool keepdim);
std::tuple<Tensor, Tensor> min_along(const Tensor& a, int64_t dim, bool keepdim);
}  // namespace detail

// max/min along one dim take the dim as a template so that `max(t, {1})` still means the
// multi-dim overload above (a braced list deduces no integral type), as before.

/// (values, indices) of the largest elements along `dim`, like torch::max(t, dim, keepdim):
/// the first index on ties; the gradient goes to the returned index only (not split between
/// ties as in max(t, dims)).
template <std::integral Dim>
std::tuple<Tensor, Tensor> max(const Tensor& a, Dim dim, bool keepdim = false) {
  return detail::max_along(a, static_cast<int64_t>(dim), keepdim);
}
/// (values, indices) of the smallest elements along `dim`, like torch::min(t, dim, keepdim).
template <std::integral Dim>
std::tuple<Tensor, Tensor> min(const Tensor& a, Dim dim, bool keepdim = false) {
  return detail::min_along(a, static_cast<int64_t>(dim), keepdim);
}
/// Sums `grad` over broadcast dims so it has `shape` (the adjoint of broadcasting to grad's shape).
Tensor sum_to(const Tensor& grad, const Shape& shape);

}  // namespace minidl
