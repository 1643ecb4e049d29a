// Views (reshape, permute, expand, slice, ...) share storage and only change geometry;
// `contiguous` and `clone` copy. All are differentiable; each backward maps the gradient
// back through the inverse geometry change.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace minidl {

/// Same elements in a new shape (one size may be -1); copies only when `a` is not contiguous.
Tensor reshape(const Tensor& a, const Shape& shape);
/// Same storage in a new shape; `a` must be contiguous (else use reshape).
Tensor view(const Tensor& a, const Shape& shape);
/// Merges dims start_dim..end_dim into one.
Tensor flatten(const Tensor& a, int64_t start_dim = 0, int64_t end_dim = -1);
/// Removes every size-1 dim.
Tensor squeeze(const Tensor& a);
/// Removes `dim` if its size is 1; otherwise returns `a` unchanged (as a view), like PyTorch.
Tensor squeeze(const Tensor& a, int64_t dim);
/// Inserts a size-1 dim at `dim`.
Tensor unsqueeze(const Tensor& a, int64_t dim);
/// Swaps two dims.
Tensor transpose(const Tensor& a, int64_t dim0, int64_t dim1);
/// Reorders dims: output dim i is input dim dims[i].
Tensor permute(const Tensor& a, const std::vector<int64_t>& dims);
/// Broadcasts size-1 dims (and new leading dims) to `shape` without copying; -1 keeps a size.
Tensor expand(const Tensor& a, const Shape& shape);
/// Elements start, start+step, ... before end along `dim` (negative indices count from the end;
/// start and end are clamped to the dim like Python slices).
Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
/// `length` elements from `start` along `dim` (a negative start counts from the end); the range
/// must lie inside the dim.
Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length);
/// `a` tiled repeats[d] times along each dim d, like torch::Tensor::repeat: `repeats` has at
/// least a's number of dims (extra ones are new leading dims). Copies.
Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats);
/// `a` if contiguous, else a contiguous copy.
Tensor contiguous(const Tensor& a);
/// A contiguous copy with its own storage.
Tensor clone(const Tensor& a);

}  // namespace minidl
