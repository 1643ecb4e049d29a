// Internal elementwise helpers that ops build on: `map` applies a function to every element,
// `map2` to every pair of a NumPy broadcast. Both write a fresh contiguous output and record
// nothing; an op calls them for its forward and, with the derivative, for its backward. Long
// contiguous loops are split across minidl's threads.
#pragma once

#include <array>
#include <string_view>

#include "core/kernels/strided.h"
#include "core/parallel.h"
#include "core/tensor.h"

namespace minidl::detail {

/// Elements per parallel chunk of a contiguous elementwise loop (~5-10 us of work): shorter
/// loops stay on the calling thread, where handing them over would cost more than it saves.
inline constexpr int64_t kElementwiseGrain = int64_t{1} << 14;

/// out[i] = fn(a[i]) as a new contiguous tensor of a's shape.
template <class Fn>
Tensor map(const Tensor& a, Fn fn) {
  Tensor out = Tensor::empty(a.shape());
  float* o = out.data();
  const float* x = a.data();
  if (a.is_contiguous()) {
    parallel_for(0, a.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) o[i] = fn(x[i]);
    });
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
  Tensor out = Tensor::empty(shape, op);
  float* o = out.data();
  const float* x = a.data();
  const float* y = b.data();
  if (same_shape && a.is_contiguous() && b.is_contiguous()) {
    parallel_for(0, out.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) o[i] = fn(x[i], y[i]);
    });
  } else if (b.numel() == 1 && a.is_contiguous() && a.shape() == shape) {
    const float scalar = y[0];
    parallel_for(0, out.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) o[i] = fn(x[i], scalar);
    });
  } else {
    // Row by row; the common row shapes (both operands unit-stride, or one of them repeating a
    // single value along the row) get loops the compiler vectorises.
    kernels::for_each_row<3>(
        shape,
        {out.strides(), broadcast_strides(a.shape(), a.strides(), shape),
         broadcast_strides(b.shape(), b.strides(), shape)},
        {0, 0, 0},
        [&](const std::array<int64_t, 3>& at, int64_t count, const std::array<int64_t, 3>& step) {
          float* row = o + at[0];
          const float* xs = x + at[1];
          const float* ys = y + at[2];
          if (step[0] == 1 && step[1] == 1 && step[2] == 1) {
            for (int64_t i = 0; i < count; ++i) row[i] = fn(xs[i], ys[i]);
          } else if (step[0] == 1 && step[1] == 1 && step[2] == 0) {
            for (int64_t i = 0; i < count; ++i) row[i] = fn(xs[i], ys[0]);
          } else if (step[0] == 1 && step[1] == 0 && step[2] == 1) {
            for (int64_t i = 0; i < count; ++i) row[i] = fn(xs[0], ys[i]);
          } else {
            for (int64_t i = 0; i < count; ++i)
              row[i * step[0]] = fn(xs[i * step[1]], ys[i * step[2]]);
          }
        });
  }
  return out;
}

}  // namespace minidl::detail
