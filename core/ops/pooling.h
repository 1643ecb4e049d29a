// 2-D max and average pooling as differentiable ops over [N, C, H, W] tensors.
// Max pooling saves the argmax of every window for its backward.
#pragma once

#include "core/ops/conv.h"
#include "core/tensor.h"

namespace minidl {

/// Options of max_pool2d and nn::MaxPool2d. A stride of 0 (the default) means "equal to the
/// kernel".
struct MaxPool2dOptions {
  Size2d kernel = 0;
  Size2d stride = 0;
  Size2d padding = 0;  ///< implicit -infinity padding, at most half the kernel
};

/// Options of avg_pool2d and nn::AvgPool2d. A stride of 0 (the default) means "equal to the
/// kernel".
struct AvgPool2dOptions {
  Size2d kernel = 0;
  Size2d stride = 0;
  Size2d padding = 0;             ///< zero padding, at most half the kernel
  bool count_include_pad = true;  ///< padded zeros count in each window's divisor
};

/// The stride a pooling window moves by: `stride`, or the kernel where `stride` is 0.
Size2d effective_pool_stride(Size2d kernel, Size2d stride);

/// Maximum of each window of input [N, C, H, W]; padding (at most half the kernel) never wins.
Tensor max_pool2d(const Tensor& input, const MaxPool2dOptions& options);
/// Mean of each window of input [N, C, H, W] (zero padding, at most half the kernel).
Tensor avg_pool2d(const Tensor& input, const AvgPool2dOptions& options);

}  // namespace minidl
