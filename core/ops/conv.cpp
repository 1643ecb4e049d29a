// conv2d: validates shapes and parameters, runs kernels::conv2d_forward on contiguous copies,
// and records a backward that calls kernels::conv2d_backward for whichever inputs need grads.
#include "core/ops/conv.h"

#include <memory>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"
#include "core/kernels/conv.h"

namespace minidl {

namespace {

// Checks every shape and parameter and computes the kernel geometry.
kernels::Conv2dShape conv2d_geometry(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                     const Conv2dFuncOptions& p) {
  MINIDL_CHECK(input.dim() == 4, "conv2d: input must be 4-D [N, C, H, W], got shape {}",
               input.shape());
  MINIDL_CHECK(weight.dim() == 4,
               "conv2d: weight must be 4-D [OC, C / groups, KH, KW], got shape {}", weight.shape());
  MINIDL_CHECK(p.stride.h >= 1 && p.stride.w >= 1 && p.padding.h >= 0 && p.padding.w >= 0 &&
                   p.dilation.h >= 1 && p.dilation.w >= 1 && p.groups >= 1,
               "conv2d: need stride >= 1, padding >= 0, dilation >= 1, groups >= 1; got stride {}, "
               "padding {}, dilation {}, groups {}",
               p.stride, p.padding, p.dilation, p.groups);
  const Shape& in = input.shape();
  const Shape& w = weight.shape();
  MINIDL_CHECK(numel_of(in) > 0 && numel_of(w) > 0, "conv2d: empty input {} or weight {}", in, w);
  MINIDL_CHECK(w[0] % p.groups == 0 && in[1] % p.groups == 0,
               "conv2d: groups {} must divide both input channels {} and output channels {}",
               p.groups, in[1], w[0]);
  const int64_t expected_channels = checked_mul("conv2d", w[1], p.groups);
  MINIDL_CHECK(expected_channels == in[1],
               "conv2d: input {} has {} channels but weight {} with groups {} expects {}", in,
               in[1], w, p.groups, expected_channels);
  if (bias.defined()) {
    MINIDL_CHECK(bias.shape() == Shape{w[0]},
                 "conv2d: bias of shape {} for weight {}; expected [{}]", bias.shape(), w, w[0]);
  }
  kernels::Conv2dShape s{};
  s.batch = in[0];
  s.in_channels = in[1];
  s.height = in[2];
  s.width = in[3];
  s.out_channels = w[0];
  s.kernel_h = w[2];
  s.kernel_w = w[3];
  s.stride_h = p.stride.h;
  s.stride_w = p.stride.w;
  s.pad_h = p.padding.h;
  s.pad_w = p.padding.w;
  s.dilation_h = p.dilation.h;
  s.dilation_w = p.dilation.w;
  s.groups = p.groups;
  // Every size below is checked, so the kernels' formulas (conv_out_size) cannot overflow.
  const int64_t span_h =
      checked_add("conv2d", checked_mul("conv2d", p.dilation.h, s.kernel_h - 1), 1);
  const int64_t span_w =
      checked_add("conv2d", checked_mul("conv2d", p.dilation.w, s.kernel_w - 1), 1);
  const int64_t padded_h = checked_add("conv2d", s.height, checked_mul("conv2d", 2, s.pad_h));
  const int64_t padded_w = checked_add("conv2d", s.width, checked_mul("conv2d", 2, s.pad_w));
  MINIDL_CHECK(
      padded_h >= span_h && padded_w >= span_w,
      "conv2d: input {} with padding {} is smaller than the (dilated) kernel {}x{} of weight {}",
      in, p.padding, span_h, span_w, w);
  s.out_h = kernels::conv_out_size(s.height, s.kernel_h, s.stride_h, s.pad_h, s.dilation_h);
  s.out_w = kernels::conv_out_size(s.width, s.kernel_w, s.stride_w, s.pad_w, s.dilation_w);
  // One sample's im2col [C*KH*KW, OH*OW] is allocated even without a weight gradient.
  const int64_t sample_columns =
      checked_numel("conv2d", {in[1], s.kernel_h, s.kernel_w, s.out_h, s.out_w});
  MINIDL_CHECK(sample_columns <= Storage::max_size(),
               "conv2d: input {} with weight {} needs an im2col buffer of {} floats per sample, "
               "more than this machine's memory holds",
               in, w, sample_columns);
  checked_numel("conv2d", {s.batch, sample_columns});  // the batch's columns, when kept
  return s;
}

}  // namespace

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
              const Conv2dFuncOptions& params) {
  const kernels::Conv2dShape s = conv2d_geometry(input, weight, bias, params);
  Tensor x = input.detach().contiguous();                             // [N, C, H, W]
  Tensor w = weight.detach().contiguous();                            // [OC, CG, KH, KW]
  Tensor b = bias.defined() ? bias.detach().contiguous() : Tensor();  // [OC]
  const bool need_input = input.requires_grad();
  const bool need_weight = weight.requires_grad();
  const bool need_bias = bias.defined() && bias.requires_grad();
  Tensor out = Tensor::empty({s.batch, s.out_channels, s.out_h, s.out_w}, "conv2d");
  // Every sample's im2col [N, C*KH*KW, OH*OW], kept only when a weight gradient will need it.
  Tensor columns = need_weight && GradMode::is_enabled()
                       ? Tensor::empty({kernels::conv2d_columns_size(s)}, "conv2d")
                       : Tensor();
  kernels::conv2d_forward(out.data(), columns.defined() ? columns.data() : nullptr, x.data(),
                          w.data(), b.defined() ? b.data() : nullptr, s);

  std::vector<Tensor> inputs{input, weight};
  if (bias.defined()) inputs.push_back(bias);
  return autograd::record(
      "conv2d", inputs, out,
      // The input's gradient needs the weight; the weight's needs the im2col columns, a private
      // copy of the input that nothing else can modify.
      [columns, saved_w = need_input ? autograd::SavedTensor(w) : autograd::SavedTensor(), s,
       need_input, need_weight, need_bias, has_bias = bias.defined(), input_shape = input.shape(),
       weight_shape = weight.shape()](const Tensor& grad) {
        Tensor grad_out = grad.contiguous();  // [N, OC, OH, OW]
        Tensor grad_input = need_input ? zeros(input_shape) : Tensor();
        Tensor grad_weight = need_weight ? zeros(weight_shape) : Tensor();
        Tensor grad_bias = need_bias ? zeros({s.out_channels}) : Tensor();
        kernels::conv2d_backward(
            need_input ? grad_input.data() : nullptr, need_weight ? grad_weight.data() : nullptr,
            need_bias ? grad_bias.data() : nullptr, need_weight ? columns.data() : nullptr,
            grad_out.data(), need_input ? saved_w.unpack().data() : nullptr, s);
        std::vector<Tensor> grads{grad_input, grad_weight};
        if (has_bias) grads.push_back(grad_bias);
        return grads;
      });
}

}  // namespace minidl
