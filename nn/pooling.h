// nn::MaxPool2d, nn::AvgPool2d, nn::AdaptiveAvgPool2d and nn::AdaptiveMaxPool2d: 2-D pooling
// layers over [N, C, H, W] inputs. Their options are the same structs as the functional ops'
// (core/ops/pooling.h).
#pragma once

#include <string>

#include "core/ops/pooling.h"
#include "nn/module.h"

namespace minidl::nn {

using minidl::AdaptivePool2dOptions;
using minidl::AvgPool2dOptions;
using minidl::MaxPool2dOptions;

/// Maximum over each window; the backward routes gradients through the saved argmax.
/// Output size: (H + 2 padding - dilation (kernel - 1) - 1) / stride + 1 (likewise W), rounded
/// up with ceil_mode as in PyTorch.
class MaxPool2d : public Module {
 public:
  /// A MaxPool2d; throws for a non-positive kernel or dilation or padding above half the kernel.
  explicit MaxPool2d(const MaxPool2dOptions& options);
  Tensor forward(const Tensor& input) override;
  /// `MaxPool2d(kernel=2, stride=2, padding=0)` (the stride shown is the effective one), plus
  /// `dilation=2` and `ceil_mode=true` when set.
  std::string describe() const override;
  /// The options, with the default stride resolved.
  const MaxPool2dOptions& options() const { return options_; }

 private:
  MaxPool2dOptions options_;
};

/// Mean over each window. Output size as for MaxPool2d (dilation 1).
class AvgPool2d : public Module {
 public:
  /// An AvgPool2d; throws for a non-positive kernel or divisor_override or padding above half
  /// the kernel.
  explicit AvgPool2d(const AvgPool2dOptions& options);
  Tensor forward(const Tensor& input) override;
  /// `AvgPool2d(kernel=2, stride=2, padding=0)`, plus `count_include_pad=false`, `ceil_mode=true`
  /// and `divisor_override=4` when set.
  std::string describe() const override;
  /// The options, with the default stride resolved.
  const AvgPool2dOptions& options() const { return options_; }

 private:
  AvgPool2dOptions options_;
};

/// Mean over adaptive windows to a fixed output size (1x1: global average pooling).
class AdaptiveAvgPool2d : public Module {
 public:
  /// An AdaptiveAvgPool2d; throws for a non-positive output size.
  explicit AdaptiveAvgPool2d(const AdaptivePool2dOptions& options);
  Tensor forward(const Tensor& input) override;
  /// `AdaptiveAvgPool2d(output_size=(3, 4))`.
  std::string describe() const override;
  /// The options.
  const AdaptivePool2dOptions& options() const { return options_; }

 private:
  AdaptivePool2dOptions options_;
};

/// Maximum over adaptive windows to a fixed output size.
class AdaptiveMaxPool2d : public Module {
 public:
  /// An AdaptiveMaxPool2d; throws for a non-positive output size.
  explicit AdaptiveMaxPool2d(const AdaptivePool2dOptions& options);
  Tensor forward(const Tensor& input) override;
  /// `AdaptiveMaxPool2d(output_size=2)`.
  std::string describe() const override;
  /// The options.
  const AdaptivePool2dOptions& options() const { return options_; }

 private:
  AdaptivePool2dOptions options_;
};

}  // namespace minidl::nn
