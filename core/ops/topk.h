// topk: the k largest (or smallest) elements along one dim, with their indices.
#pragma once

#include <tuple>

#include "core/tensor.h"

namespace minidl {

/// (values, indices) of the k largest (largest = false: smallest) elements along `dim`, like
/// torch::topk. NaN counts as larger than every number, as in PyTorch; equal values keep their
/// order. sorted = true orders them from the most extreme; sorted = false keeps their order in
/// `a` (PyTorch leaves that order unspecified). The gradient goes to the selected elements.
std::tuple<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true);

}  // namespace minidl
