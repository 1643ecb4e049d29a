// The pooling layers: option checks and the pooling ops of core/ops/pooling.h.
#include "nn/pooling.h"

#include <fmt/format.h>

namespace minidl::nn {

namespace {

// What is wrong with a pooling window, or "" when nothing is: checked at construction, so a bad
// option fails before the first batch.
std::string window_problem(Size2d kernel, Size2d stride, Size2d padding) {
  if (kernel.h <= 0 || kernel.w <= 0) return fmt::format("kernel must be positive, got {}", kernel);
  if (stride.h < 0 || stride.w < 0) {
    return fmt::format("stride must be >= 0 (0 = kernel), got {}", stride);
  }
  if (padding.h < 0 || padding.w < 0 || 2 * padding.h > kernel.h || 2 * padding.w > kernel.w) {
    return fmt::format("padding {} must be between 0 and half the kernel {}", padding, kernel);
  }
  return "";
}

// "kernel=2, stride=2, padding=0", the part of describe() both layers share.
std::string window_text(Size2d kernel, Size2d stride, Size2d padding) {
  return fmt::format("kernel={}, stride={}, padding={}", kernel, stride, padding);
}

// ", dilation=2, ceil_mode=true" for the options that differ from their defaults.
std::string extras_text(Size2d dilation, bool ceil_mode) {
  std::string text;
  if (dilation != Size2d(1)) text += fmt::format(", dilation={}", dilation);
  if (ceil_mode) text += ", ceil_mode=true";
  return text;
}

}  // namespace

MaxPool2d::MaxPool2d(const MaxPool2dOptions& options) : options_(options) {
  options_.stride = effective_pool_stride(options.kernel, options.stride);
  const std::string problem = window_problem(options.kernel, options.stride, options.padding);
  check(problem.empty(), "{}", problem);
  check(options.dilation.h >= 1 && options.dilation.w >= 1, "dilation must be >= 1, got {}",
        options.dilation);
}

Tensor MaxPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return max_pool2d(input, options_); });
}

std::string MaxPool2d::describe() const {
  return fmt::format("MaxPool2d({}{})",
                     window_text(options_.kernel, options_.stride, options_.padding),
                     extras_text(options_.dilation, options_.ceil_mode));
}

AvgPool2d::AvgPool2d(const AvgPool2dOptions& options) : options_(options) {
  options_.stride = effective_pool_stride(options.kernel, options.stride);
  const std::string problem = window_problem(options.kernel, options.stride, options.padding);
  check(problem.empty(), "{}", problem);
  check(!options.divisor_override || *options.divisor_override > 0,
        "divisor_override must be positive, got {}", options.divisor_override.value_or(0));
}

Tensor AvgPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return avg_pool2d(input, options_); });
}

std::string AvgPool2d::describe() const {
  return fmt::format(
      "AvgPool2d({}{}{}{})", window_text(options_.kernel, options_.stride, options_.padding),
      options_.count_include_pad ? "" : ", count_include_pad=false",
      extras_text(1, options_.ceil_mode),
      options_.divisor_override ? fmt::format(", divisor_override={}", *options_.divisor_override)
                                : "");
}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(const AdaptivePool2dOptions& options) : options_(options) {
  check(options.output_size.h >= 1 && options.output_size.w >= 1,
        "output size must be positive, got {}", options.output_size);
}

Tensor AdaptiveAvgPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return adaptive_avg_pool2d(input, options_); });
}

std::string AdaptiveAvgPool2d::describe() const {
  return fmt::format("AdaptiveAvgPool2d(output_size={})", options_.output_size);
}

AdaptiveMaxPool2d::AdaptiveMaxPool2d(const AdaptivePool2dOptions& options) : options_(options) {
  check(options.output_size.h >= 1 && options.output_size.w >= 1,
        "output size must be positive, got {}", options.output_size);
}

Tensor AdaptiveMaxPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return adaptive_max_pool2d(input, options_); });
}

std::string AdaptiveMaxPool2d::describe() const {
  return fmt::format("AdaptiveMaxPool2d(output_size={})", options_.output_size);
}

}  // namespace minidl::nn
