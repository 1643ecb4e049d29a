// nn::MaxPool2d and nn::AvgPool2d: 2-D pooling layers over [N, C, H, W] inputs.
#pragma once

#include <string>

#include "core/ops/pooling.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of MaxPool2d. A stride of 0 (the default) means "equal to the kernel".
struct MaxPool2dOptions {
  Size2d kernel = 0;
  Size2d stride = 0;
  Size2d padding = 0;  ///< implicit -infinity padding, at most half the kernel
};

/// Options of AvgPool2d. A stride of 0 (the default) means "equal to the kernel".
struct AvgPool2dOptions {
  Size2d kernel = 0;
  Size2d stride = 0;
  Size2d padding = 0;             ///< zero padding, at most half the kernel
  bool count_include_pad = true;  ///< padded zeros count in each window's divisor
};

/// What the two pooling layers share: a checked window and its description.
class Pool2dLayer : public Module {
 public:
  /// `MaxPool2d(kernel=2, stride=2, padding=0)` (the stride shown is the effective one).
  std::string describe() const override;
  /// The window with the default stride resolved.
  const Pool2dParams& params() const { return params_; }

 protected:
  Pool2dLayer(std::string name, Size2d kernel, Size2d stride, Size2d padding,
              bool count_include_pad);

 private:
  std::string name_;
  Pool2dParams params_;
};

/// Maximum over each window; the backward routes gradients through the saved argmax.
/// Output size: (H + 2 padding - kernel) / stride + 1 (likewise W).
class MaxPool2d : public Pool2dLayer {
 public:
  /// A MaxPool2d; throws for a non-positive kernel or padding above half the kernel.
  explicit MaxPool2d(const MaxPool2dOptions& options);
  Tensor forward(const Tensor& input) override;
};

/// Mean over each window. Output size as for MaxPool2d.
class AvgPool2d : public Pool2dLayer {
 public:
  /// An AvgPool2d; throws for a non-positive kernel or padding above half the kernel.
  explicit AvgPool2d(const AvgPool2dOptions& options);
  Tensor forward(const Tensor& input) override;
};

}  // namespace minidl::nn
