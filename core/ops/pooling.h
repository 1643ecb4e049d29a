// 2-D max, average and adaptive pooling as differentiable ops over [N, C, H, W] tensors, with
// PyTorch's options and output sizes. Max pooling saves the argmax of every window for its
// backward.
#pragma once

#include <cstdint>
#include <optional>

#include "core/ops/conv.h"
#include "core/tensor.h"

namespace minidl {

/// Options of max_pool2d and nn::MaxPool2d. A stride of 0 (the default) means "equal to the
/// kernel".
struct MaxPool2dOptions {
  Size2d kernel = 0;
  Size2d stride = 0;
  Size2d padding = 0;      ///< implicit -infinity padding, at most half the kernel
  Size2d dilation = 1;     ///< spacing of the window's elements
  bool ceil_mode = false;  ///< round the output size up (the last window starts in the input)
};

/// Options of avg_pool2d and nn::AvgPool2d. A stride of 0 (the default) means "equal to the
/// kernel".
struct AvgPool2dOptions {
  Size2d kernel = 0;
  Size2d stride = 0;
  Size2d padding = 0;             ///< zero padding, at most half the kernel
  bool count_include_pad = true;  ///< padded zeros count in each window's divisor
  bool ceil_mode = false;  ///< round the output size up (the last window starts in the input)
  std::optional<int64_t> divisor_override;  ///< when set (> 0), every window's divisor
};

/// Options of adaptive_avg_pool2d / adaptive_max_pool2d and their layers.
struct AdaptivePool2dOptions {
  Size2d output_size = 1;  ///< {h, w} of the output; 1 is global pooling
};

/// The stride a pooling window moves by: `stride`, or the kernel where `stride` is 0.
Size2d effective_pool_stride(Size2d kernel, Size2d stride);

/// Maximum of each window of input [N, C, H, W]; padding (at most half the kernel) never wins.
Tensor max_pool2d(const Tensor& input, const MaxPool2dOptions& options);
/// Mean of each window of input [N, C, H, W] (zero padding, at most half the kernel).
Tensor avg_pool2d(const Tensor& input, const AvgPool2dOptions& options);
/// Mean over PyTorch's adaptive windows of input [N, C, H, W] to [N, C, h, w]: output (i, j)
/// covers rows floor(i H / h) .. ceil((i + 1) H / h) - 1 (likewise columns).
Tensor adaptive_avg_pool2d(const Tensor& input, const AdaptivePool2dOptions& options);
/// Maximum over the same adaptive windows; the gradient goes to each window's first maximum.
Tensor adaptive_max_pool2d(const Tensor& input, const AdaptivePool2dOptions& options);

}  // namespace minidl
