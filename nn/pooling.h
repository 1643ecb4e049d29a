// nn::MaxPool2d and nn::AvgPool2d: 2-D pooling layers over [N, C, H, W] inputs. Their options
// are the same structs as the functional ops' (core/ops/pooling.h).
#pragma once

#include <string>

#include "core/ops/pooling.h"
#include "nn/module.h"

namespace minidl::nn {

using minidl::AvgPool2dOptions;
using minidl::MaxPool2dOptions;

/// Maximum over each window; the backward routes gradients through the saved argmax.
/// Output size: (H + 2 padding - kernel) / stride + 1 (likewise W).
class MaxPool2d : public Module {
 public:
  /// A MaxPool2d; throws for a non-positive kernel or padding above half the kernel.
  explicit MaxPool2d(const MaxPool2dOptions& options);
  Tensor forward(const Tensor& input) override;
  /// `MaxPool2d(kernel=2, stride=2, padding=0)` (the stride shown is the effective one).
  std::string describe() const override;
  /// The options, with the default stride resolved.
  const MaxPool2dOptions& options() const { return options_; }

 private:
  MaxPool2dOptions options_;
};

/// Mean over each window. Output size as for MaxPool2d.
class AvgPool2d : public Module {
 public:
  /// An AvgPool2d; throws for a non-positive kernel or padding above half the kernel.
  explicit AvgPool2d(const AvgPool2dOptions& options);
  Tensor forward(const Tensor& input) override;
  /// `AvgPool2d(kernel=2, stride=2, padding=0)`, plus `count_include_pad=false` when set.
  std::string describe() const override;
  /// The options, with the default stride resolved.
  const AvgPool2dOptions& options() const { return options_; }

 private:
  AvgPool2dOptions options_;
};

}  // namespace minidl::nn
