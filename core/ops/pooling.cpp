// max_pool2d and avg_pool2d: shape checks, the kernels of core/kernels/pooling.h on a contiguous
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
};

// Checks the input and window and computes the kernel geometry; `op` names the caller.
kernels::Pool2dShape pool2d_geometry(std::string_view op, const Tensor& input, const Window& p) {
  const Size2d stride = effective_pool_stride(p.kernel, p.stride);
  MINIDL_CHECK(input.dim() == 4, "{}: input must be 4-D [N, C, H, W], got shape {}", op,
               input.shape());
  MINIDL_CHECK(p.kernel.h >= 1 && p.kernel.w >= 1 && stride.h >= 1 && stride.w >= 1,
               "{}: need kernel >= 1 and stride >= 0; got kernel {}, stride {}", op, p.kernel,
               p.stride);
  MINIDL_CHECK(p.padding.h >= 0 && p.padding.w >= 0 && p.padding.h <= p.kernel.h / 2 &&
                   p.padding.w <= p.kernel.w / 2,
               "{}: padding {} must be between 0 and half the kernel {}", op, p.padding, p.kernel);
  const Shape& in = input.shape();
  MINIDL_CHECK(input.numel() > 0, "{}: empty input of shape {}", op, in);
  // Checked, so the kernels' pool_out_size and window sizes cannot overflow.
  checked_mul(op, p.kernel.h, p.kernel.w);
  const int64_t padded_h = checked_add(op, in[2], checked_mul(op, 2, p.padding.h));
  const int64_t padded_w = checked_add(op, in[3], checked_mul(op, 2, p.padding.w));
  MINIDL_CHECK(padded_h >= p.kernel.h && padded_w >= p.kernel.w,
               "{}: input {} with padding {} is smaller than the kernel {}", op, in, p.padding,
               p.kernel);
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
  s.out_h = kernels::pool_out_size(s.height, s.kernel_h, s.stride_h, s.pad_h);
  s.out_w = kernels::pool_out_size(s.width, s.kernel_w, s.stride_w, s.pad_w);
  return s;
}

Shape output_shape(const kernels::Pool2dShape& s) {
  return {s.batch, s.channels, s.out_h, s.out_w};
}

}  // namespace

Size2d effective_pool_stride(Size2d kernel, Size2d stride) {
  return {stride.h == 0 ? kernel.h : stride.h, stride.w == 0 ? kernel.w : stride.w};
}

Tensor max_pool2d(const Tensor& input, const MaxPool2dOptions& options) {
  const kernels::Pool2dShape s =
      pool2d_geometry("max_pool2d", input, {options.kernel, options.stride, options.padding});
  Tensor x = input.detach().contiguous();  // [N, C, H, W]
  Tensor out = Tensor::empty(output_shape(s), "max_pool2d");
  MINIDL_CHECK(x.numel() <= std::numeric_limits<int32_t>::max(),
               "max_pool2d: input {} is too large (at most 2^31 - 1 elements)", x.shape());
  // [N, C, OH, OW]; shared_ptr: the backward closure must be copyable
  std::shared_ptr<int32_t[]> argmax =
      std::make_shared_for_overwrite<int32_t[]>(static_cast<size_t>(out.numel()));
  kernels::max_pool2d_forward(out.data(), argmax.get(), x.data(), s);
  return autograd::record("max_pool2d", {input}, out, [s, argmax](const Tensor& grad) {
    Tensor grad_out = grad.contiguous();
    Tensor grad_input = zeros({s.batch, s.channels, s.height, s.width});
    kernels::max_pool2d_backward(grad_input.data(), grad_out.data(), argmax.get(), s);
    return std::vector<Tensor>{grad_input};
  });
}

Tensor avg_pool2d(const Tensor& input, const AvgPool2dOptions& options) {
  const kernels::Pool2dShape s =
      pool2d_geometry("avg_pool2d", input, {options.kernel, options.stride, options.padding});
  Tensor x = input.detach().contiguous();  // [N, C, H, W]
  Tensor out = Tensor::empty(output_shape(s), "avg_pool2d");
  const bool include_pad = options.count_include_pad;
  kernels::avg_pool2d_forward(out.data(), x.data(), s, include_pad);
  return autograd::record("avg_pool2d", {input}, out, [s, include_pad](const Tensor& grad) {
    Tensor grad_out = grad.contiguous();
    Tensor grad_input = zeros({s.batch, s.channels, s.height, s.width});
    kernels::avg_pool2d_backward(grad_input.data(), grad_out.data(), s, include_pad);
    return std::vector<Tensor>{grad_input};
  });
}

}  // namespace minidl
