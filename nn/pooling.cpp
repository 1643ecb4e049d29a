// nn::MaxPool2d and nn::AvgPool2d: option checks and the pooling ops of core/ops/pooling.h.
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

}  // namespace

MaxPool2d::MaxPool2d(const MaxPool2dOptions& options) : options_(options) {
  options_.stride = effective_pool_stride(options.kernel, options.stride);
  const std::string problem = window_problem(options.kernel, options.stride, options.padding);
  check(problem.empty(), "{}", problem);
}

Tensor MaxPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return max_pool2d(input, options_); });
}

std::string MaxPool2d::describe() const {
  return fmt::format("MaxPool2d({})",
                     window_text(options_.kernel, options_.stride, options_.padding));
}

AvgPool2d::AvgPool2d(const AvgPool2dOptions& options) : options_(options) {
  options_.stride = effective_pool_stride(options.kernel, options.stride);
  const std::string problem = window_problem(options.kernel, options.stride, options.padding);
  check(problem.empty(), "{}", problem);
}

Tensor AvgPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return avg_pool2d(input, options_); });
}

std::string AvgPool2d::describe() const {
  return fmt::format("AvgPool2d({}{})",
                     window_text(options_.kernel, options_.stride, options_.padding),
                     options_.count_include_pad ? "" : ", count_include_pad=false");
}

}  // namespace minidl::nn
