// Gathering and joining: index_select, gather, cat, stack.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace minidl {

/// The slices of `a` along `dim` at the positions in `index` (a 1-D tensor of whole numbers).
Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index);
/// out[i][j][k] = a[i][index[i][j][k]][k] for dim 1 (likewise for any dim), like torch::gather:
/// `index` (whole numbers) has a's number of dims and sizes at most a's outside `dim`; the output
/// has index's shape. The gradient adds back at the gathered positions.
Tensor gather(const Tensor& a, int64_t dim, const Tensor& index);
/// Joins tensors along an existing dim; all other sizes must match.
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
/// Joins tensors of one shape along a new dim.
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);

}  // namespace minidl
