// Shape arithmetic shared by the tensor and every op.
#include "core/shape.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace minidl {

int64_t checked_mul(std::string_view op, int64_t a, int64_t b) {
  int64_t product = 0;
  MINIDL_CHECK(!__builtin_mul_overflow(a, b, &product), "{}: {} * {} overflows int64", op, a, b);
  return product;
}

int64_t checked_add(std::string_view op, int64_t a, int64_t b) {
  int64_t total = 0;
  MINIDL_CHECK(!__builtin_add_overflow(a, b, &total), "{}: {} + {} overflows int64", op, a, b);
  return total;
}

int64_t checked_numel(std::string_view op, const Shape& shape) {
  int64_t nonzero_product = 1;
  bool empty = false;
  for (int64_t size : shape) {
    MINIDL_CHECK(size >= 0, "{}: negative size {} in shape {}", op, size, shape);
    if (size == 0) {
      empty = true;
      continue;
    }
    MINIDL_CHECK(!__builtin_mul_overflow(nonzero_product, size, &nonzero_product),
                 "{}: shape {} has too many elements (the product of its sizes overflows int64)",
                 op, shape);
  }
  return empty ? 0 : nonzero_product;
}

int64_t numel_of(const Shape& shape) { return checked_numel("numel", shape); }

Strides contiguous_strides(const Shape& shape) {
  checked_numel("contiguous_strides", shape);  // so that no product below can overflow
  Strides strides(shape.size());
  int64_t step = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

int64_t wrap_dim(std::string_view op, int64_t dim, int64_t ndim) {
  int64_t lo = ndim == 0 ? -1 : -ndim;
  int64_t hi = ndim == 0 ? 0 : ndim - 1;
  MINIDL_CHECK(dim >= lo && dim <= hi,
               "{}: dim {} out of range for a tensor of {} dims (expected {}..{})", op, dim, ndim,
               lo, hi);
  return dim < 0 ? dim + std::max<int64_t>(ndim, 1) : dim;
}

DimSplit split_at_dim(const Shape& shape, int64_t dim) {
  DimSplit split;
  if (shape.empty()) return split;
  const auto d = static_cast<size_t>(dim);
  split.outer = numel_of(Shape(shape.begin(), shape.begin() + dim));
  split.size = shape[d];
  split.inner = numel_of(Shape(shape.begin() + dim + 1, shape.end()));
  return split;
}

FloatIndex float_index(float value, int64_t size) {
  FloatIndex result;
  result.whole = std::isfinite(value) && std::floor(value) == value;
  // Below 2^62 the float converts to int64 exactly; the range check is then integer arithmetic
  // (floats cannot tell 2^24 from 2^24 + 1).
  if (!result.whole || value < 0.0F || value >= 0x1p62F) return result;
  result.index = static_cast<int64_t>(value);
  result.in_range = result.index < size;
  return result;
}

Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b) {
  size_t ndim = std::max(a.size(), b.size());
  Shape out(ndim);
  for (size_t i = 0; i < ndim; ++i) {
    int64_t sa = i < ndim - a.size() ? 1 : a[i - (ndim - a.size())];
    int64_t sb = i < ndim - b.size() ? 1 : b[i - (ndim - b.size())];
    MINIDL_CHECK(sa == sb || sa == 1 || sb == 1,
                 "{}: shapes {} and {} cannot be broadcast (dim {}: {} vs {})", op, a, b, i, sa,
                 sb);
    out[i] = sa == 1 ? sb : sa;
  }
  checked_numel(op, out);  // [n, 1] and [1, m] broadcast to n * m elements
  return out;
}

std::vector<int64_t> reduction_dims(std::string_view op, const std::vector<int64_t>& dims,
                                    int64_t ndim) {
  std::vector<int64_t> wrapped;
  if (dims.empty()) {
    for (int64_t d = 0; d < ndim; ++d) wrapped.push_back(d);
    return wrapped;
  }
  for (int64_t d : dims) wrapped.push_back(wrap_dim(op, d, ndim));
  if (ndim == 0) return {};  // a 0-d tensor has no dim to reduce
  std::sort(wrapped.begin(), wrapped.end());
  MINIDL_CHECK(std::adjacent_find(wrapped.begin(), wrapped.end()) == wrapped.end(),
               "{}: dim listed twice in {}", op, dims);
  return wrapped;
}

}  // namespace minidl

namespace minidl {

Strides broadcast_strides(const Shape& shape, const Strides& strides, const Shape& target) {
  Strides out(target.size(), 0);
  size_t lead = target.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d) {
    out[lead + d] = shape[d] == 1 ? 0 : strides[d];
  }
  return out;
}

}  // namespace minidl
