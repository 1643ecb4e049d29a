// 2-D convolution kernels on raw float buffers: im2col / col2im and the conv2d forward/backward
// pair built on them (per sample: one im2col, then one sgemm per group; samples run in parallel).
// Internal to minidl; the differentiable op is minidl::conv2d in core/ops/conv.h.
//
// Legend for the shape comments:
//   N batch, C input channels, H x W input size, OC output channels, G groups,
//   CG = C / G and OCG = OC / G channels per group, KH x KW kernel size, OH x OW output size,
//   K = CG * KH * KW (one group's column height).
#pragma once

#include <cstdint>

namespace minidl::kernels {

/// Every size a conv2d kernel needs; `out_h` / `out_w` follow from the others (see conv2d_shape).
struct Conv2dShape {
  int64_t batch, in_channels, height, width;
  int64_t out_channels, kernel_h, kernel_w;
  int64_t stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups;
  int64_t out_h, out_w;
};

/// Output size along one axis: (in + 2 pad - dilation (kernel - 1) - 1) / stride + 1.
int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation);

/// Floats in the im2col of a batch: N samples of C * KH * KW rows by OH * OW columns.
int64_t conv2d_columns_size(const Conv2dShape& s);

/// Unfolds input [N, C, H, W] into columns [C * KH * KW, N * OH * OW] (zeros where padded).
void im2col(float* columns, const float* input, const Conv2dShape& s);

/// Folds columns [C * KH * KW, N * OH * OW] back, adding into grad_input [N, C, H, W].
void col2im(float* grad_input, const float* columns, const Conv2dShape& s);

/// out [N, OC, OH, OW] = conv(input [N, C, H, W], weight [OC, CG, KH, KW]) + bias [OC]
/// (bias may be null). kept_columns: null, or conv2d_columns_size(s) floats that receive every
/// sample's im2col, [N, C*KH*KW, OH*OW], for the weight gradient.
void conv2d_forward(float* out, float* kept_columns, const float* input, const float* weight,
                    const float* bias, const Conv2dShape& s);

/// Adds the gradients of conv2d_forward, given grad_out [N, OC, OH, OW], into grad_input
/// [N, C, H, W], grad_weight [OC, CG, KH, KW] and grad_bias [OC]; any of the three may be null
/// (not needed). kept_columns are the forward's (read only for grad_weight); weight is read only
/// for grad_input.
void conv2d_backward(float* grad_input, float* grad_weight, float* grad_bias,
                     const float* kept_columns, const float* grad_out, const float* weight,
                     const Conv2dShape& s);

}  // namespace minidl::kernels
