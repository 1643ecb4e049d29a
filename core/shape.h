// Shapes and strides: small vectors of int64 plus the arithmetic every op shares
// (element counts, contiguous strides, dim wrapping, NumPy broadcasting).
#pragma once

#include <fmt/ranges.h>  // Shape and Strides print as [2, 3] in error messages

#include <cstdint>
#include <string_view>
#include <vector>

namespace minidl {

/// Sizes of a tensor's dimensions, outermost first. Prints as [2, 3] through fmt.
using Shape = std::vector<int64_t>;
/// Distance in elements between neighbours along each dimension.
using Strides = std::vector<int64_t>;

/// Number of elements of a tensor of this shape (1 for a scalar shape []).
int64_t numel_of(const Shape& shape);

/// Row-major strides of a freshly allocated tensor of this shape.
Strides contiguous_strides(const Shape& shape);

/// Maps a possibly negative dim into [0, ndim); throws naming `op` when out of range.
int64_t wrap_dim(std::string_view op, int64_t dim, int64_t ndim);

/// NumPy broadcast of two shapes; throws naming `op` and both shapes when incompatible.
Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b);

/// Sorted, unique, wrapped list of dims to reduce; an empty list means all dims.
std::vector<int64_t> reduction_dims(std::string_view op, const std::vector<int64_t>& dims,
                                    int64_t ndim);

}  // namespace minidl

namespace minidl {

/// Strides that read a tensor of (shape, strides) as if expanded to `target` (0 on broadcast dims).
Strides broadcast_strides(const Shape& shape, const Strides& strides, const Shape& target);

}  // namespace minidl
