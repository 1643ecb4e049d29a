// nn::Conv2d: 2-D convolution layer over [N, C, H, W] inputs (minidl::conv2d: im2col + sgemm).
#pragma once

#include <cstdint>
#include <string>

#include "core/generator.h"
#include "core/ops/conv.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of Conv2d. Sizes are Size2d: `.kernel = 5` or `.kernel = {3, 5}` (height, width).
struct Conv2dOptions {
  int64_t in = 0;     ///< input channels
  int64_t out = 0;    ///< output channels
  Size2d kernel = 0;  ///< kernel size
  Size2d stride = 1;
  Size2d padding = 0;   ///< zero padding on each side
  Size2d dilation = 1;  ///< spacing between kernel taps
  int64_t groups = 1;   ///< split channels into groups (must divide in and out)
  bool bias = true;     ///< add a learned bias per output channel
};

/// Convolution: input [N, in, H, W] -> output [N, out, OH, OW] with
/// OH = (H + 2 padding - dilation (kernel - 1) - 1) / stride + 1 (likewise OW).
/// Parameters: weight [out, in / groups, KH, KW] and bias [out], drawn uniformly from
/// [-1/sqrt(fan_in), 1/sqrt(fan_in)] with fan_in = in / groups * KH * KW (init::layer_default_).
class Conv2d : public Module {
 public:
  /// Initializes the parameters from `generator` (by default the default Generator).
  explicit Conv2d(const Conv2dOptions& options, Generator& generator = default_generator());

  Tensor forward(const Tensor& input) override;
  /// `Conv2d(in=1, out=6, kernel=5, stride=1, padding=0)`, plus dilation, groups and
  /// `bias=false` when not the default.
  std::string describe() const override;
  /// Redraws weight and bias with init::layer_default_.
  void reset_parameters(Generator& generator = default_generator());

  /// The options it was built with.
  const Conv2dOptions& options() const { return options_; }
  /// The weight [out, in / groups, KH, KW].
  Tensor weight() const { return parameter("weight"); }
  /// The bias [out] (undefined when options.bias is false).
  Tensor bias() const { return find_parameter("bias"); }

 private:
  Conv2dOptions options_;
};

}  // namespace minidl::nn
