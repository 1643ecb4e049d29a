// nn::MaxPool2d and nn::AvgPool2d: option checks and the pooling ops of core/ops/pooling.h.
#include "nn/pooling.h"

#include <fmt/format.h>

namespace minidl::nn {

Pool2dLayer::Pool2dLayer(std::string name, Size2d kernel, Size2d stride, Size2d padding,
                         bool count_include_pad)
    : name_(std::move(name)),
      params_{.kernel = kernel,
              .stride = {stride.h == 0 ? kernel.h : stride.h, stride.w == 0 ? kernel.w : stride.w},
              .padding = padding,
              .count_include_pad = count_include_pad} {
  check(kernel.h > 0 && kernel.w > 0, "kernel must be positive, got {}", kernel);
  check(stride.h >= 0 && stride.w >= 0, "stride must be >= 0 (0 = kernel), got {}", stride);
  check(padding.h >= 0 && padding.w >= 0 && 2 * padding.h <= kernel.h && 2 * padding.w <= kernel.w,
        "padding {} must be between 0 and half the kernel {}", padding, kernel);
}

std::string Pool2dLayer::describe() const {
  return fmt::format("{}(kernel={}, stride={}, padding={}{})", name_, params_.kernel,
                     params_.stride, params_.padding,
                     params_.count_include_pad ? "" : ", count_include_pad=false");
}

MaxPool2d::MaxPool2d(const MaxPool2dOptions& options)
    : Pool2dLayer("MaxPool2d", options.kernel, options.stride, options.padding, true) {}

Tensor MaxPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return max_pool2d(input, params()); });
}

AvgPool2d::AvgPool2d(const AvgPool2dOptions& options)
    : Pool2dLayer("AvgPool2d", options.kernel, options.stride, options.padding,
                  options.count_include_pad) {}

Tensor AvgPool2d::forward(const Tensor& input) {
  return with_provenance([&] { return avg_pool2d(input, params()); });
}

}  // namespace minidl::nn
