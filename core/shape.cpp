// Shape arithmetic shared by the tensor and every op.
#include "core/shape.h"

#include <algorithm>

#include "core/error.h"

namespace minidl {

int64_t numel_of(const Shape& shape) {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  return count;
}

Strides contiguous_strides(const Shape& shape) {
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
