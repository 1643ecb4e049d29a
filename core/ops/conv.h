// 2-D convolution as a differentiable op: conv2d(input, weight, bias, params), computed as
// im2col + sgemm over the whole batch (core/kernels/conv.h); backward as sgemm + col2im.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace minidl {

/// A (height, width) pair that converts from one number: `.kernel = 5` or `.kernel = {3, 5}`.
struct Size2d {
  int64_t h = 0;
  int64_t w = 0;
  /// Both sides equal.
  Size2d(int64_t both = 0) : h(both), w(both) {}  // NOLINT(google-explicit-constructor)
  /// Height and width.
  Size2d(int64_t height, int64_t width) : h(height), w(width) {}
  /// Same height and same width.
  bool operator==(const Size2d&) const = default;
};

/// Geometry of a convolution; the kernel size comes from the weight.
struct Conv2dFuncOptions {
  Size2d stride = 1;
  Size2d padding = 0;
  Size2d dilation = 1;
  int64_t groups = 1;
};

/// Cross-correlation of input [N, C, H, W] with weight [OC, C / groups, KH, KW], plus bias [OC]
/// when defined; returns [N, OC, OH, OW]. Zero padding; groups split C and OC evenly.
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              const Conv2dFuncOptions& params = {});

}  // namespace minidl

template <>
struct fmt::formatter<minidl::Size2d> : fmt::formatter<int64_t> {
  /// Prints `5` for a square size and `(3, 5)` otherwise.
  auto format(const minidl::Size2d& size, fmt::format_context& context) const {
    if (size.h == size.w) return fmt::format_to(context.out(), "{}", size.h);
    return fmt::format_to(context.out(), "({}, {})", size.h, size.w);
  }
};
