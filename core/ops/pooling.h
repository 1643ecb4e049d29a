// 2-D max and average pooling as differentiable ops over [N, C, H, W] tensors.
// Max pooling saves the argmax of every window for its backward.
#pragma once

#include "core/ops/conv.h"
#include "core/tensor.h"

namespace minidl {

/// Window geometry of a pooling op. A stride of 0 means "equal to the kernel".
struct Pool2dParams {
  Size2d kernel = 1;
  Size2d stride = 0;
  Size2d padding = 0;
  /// avg_pool2d only: whether padded positions count in each window's divisor.
  bool count_include_pad = true;
};

/// Maximum of each window of input [N, C, H, W]; padding (at most half the kernel) never wins.
Tensor max_pool2d(const Tensor& input, const Pool2dParams& params);
/// Mean of each window of input [N, C, H, W] (zero padding, at most half the kernel).
Tensor avg_pool2d(const Tensor& input, const Pool2dParams& params);

}  // namespace minidl
