// Internal elementwise helpers that ops build on: `map` applies a function to every element,
// `map2` to every pair of a NumPy broadcast. Both write a fresh contiguous output and record
// nothing; an op calls them for its forward and, with the derivative, for its backward.
#pragma once

#include <string_view>

#include "core/kernels/strided.h"
#include "core/tensor.h"

namespace minidl::detail {

/// out[i] = fn(a[i]) as a new contiguous tensor of a's shape.
template <class Fn>
Tensor map(const Tensor& a, Fn fn) {
  Tensor out = Tensor::empty(a.shape());
  float* o = out.data();
  const float* x = a.data();
  if (a.is_contiguous()) {
    const int64_t n = a.numel();
    for (int64_t i = 0; i < n; ++i) o[i] = fn(x[i]);
  } else {
    kernels::for_each_element<2>(a.shape(), {out.strides(), a.strides()}, {0, 0},
                                 [&](int64_t io, int64_t ia) { o[io] = fn(x[ia]); });
  }
  return out;
}

/// out = fn(a, b) elementwise over the broadcast of a and b; `op` names the caller in errors.
template <class Fn>
Tensor map2(std::string_view op, const Tensor& a, const Tensor& b, Fn fn) {
  const bool same_shape = a.shape() == b.shape();
  Shape shape = same_shape ? a.shape() : broadcast_shapes(op, a.shape(), b.shape());
  Tensor out = Tensor::empty(shape);
  float* o = out.data();
  const float* x = a.data();
  const float* y = b.data();
  if (same_shape && a.is_contiguous() && b.is_contiguous()) {
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i) o[i] = fn(x[i], y[i]);
  } else if (b.numel() == 1 && a.is_contiguous() && a.shape() == shape) {
    const float scalar = y[0];
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i) o[i] = fn(x[i], scalar);
  } else {
    kernels::for_each_element<3>(
        shape,
        {out.strides(), broadcast_strides(a.shape(), a.strides(), shape),
         broadcast_strides(b.shape(), b.strides(), shape)},
        {0, 0, 0}, [&](int64_t io, int64_t ia, int64_t ib) { o[io] = fn(x[ia], y[ib]); });
  }
  return out;
}

}  // namespace minidl::detail
