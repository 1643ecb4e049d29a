// nn::Conv2d.
#include "nn/conv.h"

#include "core/factories.h"
#include "nn/init.h"

namespace minidl::nn {

Conv2d::Conv2d(const Conv2dOptions& options, Generator& generator) : options_(options) {
  const Conv2dOptions& o = options;
  check(o.in > 0 && o.out > 0, "in and out channels must be positive");
  check(o.kernel.h > 0 && o.kernel.w > 0, "kernel must be positive, got {}", o.kernel);
  check(o.stride.h > 0 && o.stride.w > 0, "stride must be positive, got {}", o.stride);
  check(o.padding.h >= 0 && o.padding.w >= 0, "padding must be >= 0, got {}", o.padding);
  check(o.dilation.h > 0 && o.dilation.w > 0, "dilation must be positive, got {}", o.dilation);
  check(o.groups > 0 && o.in % o.groups == 0 && o.out % o.groups == 0,
        "groups {} must divide both in {} and out {}", o.groups, o.in, o.out);
  with_provenance([&] {  // the weight's element count may overflow or exceed the memory
    register_parameter("weight", zeros({o.out, o.in / o.groups, o.kernel.h, o.kernel.w}));
    if (o.bias) register_parameter("bias", zeros({o.out}));
  });
  reset_parameters(generator);
}

void Conv2d::reset_parameters(Generator& generator) {
  init::layer_default_(weight(), bias(), generator);
}

Tensor Conv2d::forward(const Tensor& input) {
  check(input.dim() == 4 && input.size(1) == options_.in,
        "expected input of shape [N, {}, H, W], got shape {}", options_.in, input.shape());
  return with_provenance([&] {
    return conv2d(input, weight(), bias(),
                  {.stride = options_.stride,
                   .padding = options_.padding,
                   .dilation = options_.dilation,
                   .groups = options_.groups});
  });
}

std::string Conv2d::describe() const {
  std::string text =
      fmt::format("Conv2d(in={}, out={}, kernel={}, stride={}, padding={}", options_.in,
                  options_.out, options_.kernel, options_.stride, options_.padding);
  if (options_.dilation != Size2d(1)) text += fmt::format(", dilation={}", options_.dilation);
  if (options_.groups != 1) text += fmt::format(", groups={}", options_.groups);
  if (!options_.bias) text += ", bias=false";
  return text + ")";
}

}  // namespace minidl::nn
