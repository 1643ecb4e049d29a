// Gathering and joining: index_select, cat, stack.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace minidl {

/// The slices of `a` along `dim` at the positions in `index` (a 1-D tensor of whole numbers).
Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index);
/// Joins tensors along an existing dim; all other sizes must match.
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
/// Joins tensors of one shape along a new dim.
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);

}  // namespace minidl
