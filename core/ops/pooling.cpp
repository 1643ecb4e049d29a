// max_pool2d, avg_pool2d and the adaptive pools: shape checks, the kernels of core/kernels/pooling.h on a contiguous
// input, and backward closures that call the matching *_backward kernel.
#include "core/ops/pooling.h"

#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/kernels/pooling.h"

namespace minidl {

namespace {

// The window of either pooling op.
struct Window {
  Size2d kernel;
  Size2d stride;  // 0: equal to the kernel
  Size2d padding;
  Size2d dilation = 1;
  bool ceil_mode = false;
};

// Checks the input and window and computes the kernel geometry; `op` names the caller.
kernels::Pool2dShape pool2d_geometry(std::string_view op, const Tensor& input, const Window& p) {
  const Size2d stride = effective_pool_stride(p.kernel, p.stride);
  MINIDL_CHECK(input.dim() == 4, "{}: input must be 4-D [N, C, H, W], got shape {}", op,
               input.shape());
  MINIDL_CHECK(p.kernel.h >= 1 && p.kernel.w >= 1 && stride.h >= 1 && stride.w >= 1,
               "{}: need kernel >= 1 and stride >= 0; got kernel {}, stride {}", op, p.kernel,
               p.stride);
  MINIDL_CHECK(p.dilation.h >= 1 && p.dilation.w >= 1, "{}: dilation must be >= 1, got {}", op,
               p.dilation);
  MINIDL_CHECK(p.padding.h >= 0 && p.padding.w >= 0 && p.padding.h <= p.kernel.h / 2 &&
                   p.padding.w <= p.kernel.w / 2,
               "{}: padding {} must be between 0 and half the kernel {}", op, p.padding, p.kernel);
  const Shape& in = input.shape();
  MINIDL_CHECK(input.numel() > 0, "{}: empty input of shape {}", op, in);
  // Checked, so the kernels' pool_out_size and window sizes cannot overflow.
  checked_mul(op, p.kernel.h, p.kernel.w);
  const int64_t span_h = checked_add(op, checked_mul(op, p.dilation.h, p.kernel.h - 1), 1);
  const int64_t span_w = checked_add(op, checked_mul(op, p.dilation.w, p.kernel.w - 1), 1);
  const int64_t padded_h = checked_add(op, in[2], checked_mul(op, 2, p.padding.h));
  const int64_t padded_w = checked_add(op, in[3], checked_mul(op, 2, p.padding.w));
  MINIDL_CHECK(padded_h >= span_h && padded_w >= span_w,
               "{}: input {} with padding {} is smaller than the kernel {} (dilation {})", op, in,
               p.padding, p.kernel, p.dilation);
  kernels::Pool2dShape s{};
  s.batch = in[0];
  s.channels = in[1];
  s.height = in[2];
  s.width = in[3];
  s.kernel_h = p.kernel.h;
  s.kernel_w = p.kernel.w;
  s.stride_h = stride.h;
  s.stride_w = stride.w;
  s.pad_h = p.padding.h;
  s.pad_w = p.padding.w;
  s.dilation_h = p.dilation.h;
  s.dilation_w = p.dilation.w;
  s.out_h =
      kernels::pool_out_size(s.height, s.kernel_h, s.stride_h, s.pad_h, s.dilation_h, p.ceil_mode);
  s.out_w =
      kernels::pool_out_size(s.width, s.kernel_w, s.stride_w, s.pad_w, s.dilation_w, p.ceil_mode);
  return s;
}

Shape output_shape(const kernels::Pool2dShape& s) {
  return {s.batch, s.channels, s.out_h, s.out_w};
}

// Checks an adaptive pool's input and output size; the window fields stay 0.
kernels::Pool2dShape adaptive_geometry(std::string_view op, const Tensor& input, Size2d size) {
  MINIDL_CHECK(input.dim() == 4, "{}: input must be 4-D [N, C, H, W], got shape {}", op,
               input.shape());
  MINIDL_CHECK(input.numel() > 0, "{}: empty input of shape {}", op, input.shape());
  MINIDL_CHECK(size.h >= 1 && size.w >= 1, "{}: output size must be positive, got {}", op, size);
  kernels::Pool2dShape s{};
  s.batch = input.size(0);
  s.channels = input.size(1);
  s.height = input.size(2);
  s.width = input.size(3);
  s.out_h = size.h;
  s.out_w = size.w;
  checked_numel(op, output_shape(s));
  // (i + 1) * H in the window bounds must not overflow.
  checked_mul(op, s.out_h + 1, s.height);
  checked_mul(op, s.out_w + 1, s.width);
  return s;
}

// Max pooling's forward (`forward` fills out and argmax) and its backward through the argmax.
template <class Forward>
Tensor max_pool_recorded(std::string_view name, const Tensor& input, const kernels::Pool2dShape& s,
                         Forward forward) {
  Tensor x = input.detach().contiguous();  // [N, C, H, W]
  Tensor out = Tensor::empty(output_shape(s), name);
  MINIDL_CHECK(x.numel() <= std::numeric_limits<int32_t>::max(),
               "{}: input {} is too large (at most 2^31 - 1 elements)", name, x.shape());
  // [N, C, OH, OW]; shared_ptr: the backward closure must be copyable
  std::shared_ptr<int32_t[]> argmax =
      std::make_shared_for_overwrite<int32_t[]>(static_cast<size_t>(out.numel()));
  forward(out.data(), argmax.get(), x.data());
  return autograd::record(name, {input}, out, [s, argmax](const Tensor& grad) {
    Tensor grad_out = grad.contiguous();
    Tensor grad_input = zeros({s.batch, s.channels, s.height, s.width});
    kernels::max_pool2d_backward(grad_input.data(), grad_out.data(), argmax.get(), s);
    return std::vector<Tensor>{grad_input};
  });
}

}  // namespace

Size2d effective_pool_stride(Size2d kernel, Size2d stride) {
  return {stride.h == 0 ? kernel.h : stride.h, stride.w == 0 ? kernel.w : stride.w};
}

Tensor max_pool2d(const Tensor& input, const MaxPool2dOptions& options) {
  const kernels::Pool2dShape s = pool2d_geometry(
      "max_pool2d", input,
      {options.kernel, options.stride, options.padding, options.dilation, options.ceil_mode});
  return max_pool_recorded("max_pool2d", input, s,
                           [&s](float* out, int32_t* argmax, const float* x) {
                             kernels::max_pool2d_forward(out, argmax, x, s);
                           });
}

Tensor avg_pool2d(const Tensor& input, const AvgPool2dOptions& options) {
  MINIDL_CHECK(!options.divisor_override || *options.divisor_override > 0,
               "avg_pool2d: divisor_override must be positive, got {}",
               options.divisor_override.value_or(0));
  const kernels::Pool2dShape s = pool2d_geometry(
      "avg_pool2d", input, {options.kernel, options.stride, options.padding, 1, options.ceil_mode});
  Tensor x = input.detach().contiguous();  // [N, C, H, W]
  Tensor out = Tensor::empty(output_shape(s), "avg_pool2d");
  const bool include_pad = options.count_include_pad;
  const int64_t divisor = options.divisor_override.value_or(0);
  kernels::avg_pool2d_forward(out.data(), x.data(), s, include_pad, divisor);
  return autograd::record(
      "avg_pool2d", {input}, out, [s, include_pad, divisor](const Tensor& grad) {
        Tensor grad_out = grad.contiguous();
        Tensor grad_input = zeros({s.batch, s.channels, s.height, s.width});
        kernels::avg_pool2d_backward(grad_input.data(), grad_out.data(), s, include_pad, divisor);
        return std::vector<Tensor>{grad_input};
      });
}

Tensor adaptive_avg_pool2d(const Tensor& input, const AdaptivePool2dOptions& options) {
  const kernels::Pool2dShape s =
      adaptive_geometry("adaptive_avg_pool2d", input, options.output_size);
  Tensor x = input.detach().contiguous();  // [N, C, H, W]
  Tensor out = Tensor::empty(output_shape(s), "adaptive_avg_pool2d");
  kernels::adaptive_avg_pool2d_forward(out.data(), x.data(), s);
  return autograd::record("adaptive_avg_pool2d", {input}, out, [s](const Tensor& grad) {
    Tensor grad_out = grad.contiguous();
    Tensor grad_input = zeros({s.batch, s.channels, s.height, s.width});
    kernels::adaptive_avg_pool2d_backward(grad_input.data(), grad_out.data(), s);
    return std::vector<Tensor>{grad_input};
  });
}

Tensor adaptive_max_pool2d(const Tensor& input, const AdaptivePool2dOptions& options) {
  const kernels::Pool2dShape s =
      adaptive_geometry("adaptive_max_pool2d", input, options.output_size);
  return max_pool_recorded("adaptive_max_pool2d", input, s,
                           [&s](float* out, int32_t* argmax, const float* x) {
                             kernels::adaptive_max_pool2d_forward(out, argmax, x, s);
                           });
}

}  // namespace minidl
