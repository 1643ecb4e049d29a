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

/// a * b; throws minidl::Error naming `op` and both factors when the product overflows int64.
int64_t checked_mul(std::string_view op, int64_t a, int64_t b);
/// a + b; throws minidl::Error naming `op` and both terms when the sum overflows int64.
int64_t checked_add(std::string_view op, int64_t a, int64_t b);

/// Number of elements of `shape`; throws naming `op` and the shape when a size is negative or
/// the product of the non-zero sizes overflows int64 (so its strides cannot overflow either).
int64_t checked_numel(std::string_view op, const Shape& shape);
/// Number of elements of a tensor of this shape (1 for a scalar shape []), checked as above.
int64_t numel_of(const Shape& shape);

/// Row-major strides of a freshly allocated tensor of this shape.
Strides contiguous_strides(const Shape& shape);

/// Maps a possibly negative dim into [0, ndim); throws naming `op` when out of range.
int64_t wrap_dim(std::string_view op, int64_t dim, int64_t ndim);

/// A contiguous shape read as [outer, size, inner] around one dim.
struct DimSplit {
  int64_t outer = 1;  ///< product of the sizes before the dim
  int64_t size = 1;   ///< the dim's size
  int64_t inner = 1;  ///< product of the sizes after it (the dim's stride)
};
/// Splits `shape` around the wrapped `dim` (a 0-d shape is [1, 1, 1]); products of sizes, not
/// strides, so they hold for empty tensors too.
DimSplit split_at_dim(const Shape& shape, int64_t dim);

/// An index that travels as a float (class labels, index_select's index), checked as an integer.
struct FloatIndex {
  bool whole = false;     ///< finite and a whole number
  bool in_range = false;  ///< whole and in [0, size), compared as integers (not as floats)
  int64_t index = 0;      ///< the index, when whole and in range
};
/// Classifies `value` as an index into a dim of `size` elements.
FloatIndex float_index(float value, int64_t size);

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
