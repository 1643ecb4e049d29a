// 2-D max and average pooling kernels on raw float buffers. Internal to minidl; the
// differentiable ops are minidl::max_pool2d / avg_pool2d in core/ops/pooling.h.
//
// Legend: N batch, C channels, H x W input size, KH x KW window, OH x OW output size.
// Each (n, c) plane is pooled independently; argmax entries index into the whole input.
#pragma once

#include <cstdint>

namespace minidl::kernels {

/// Every size a pooling kernel needs (see pool_out_size for out_h / out_w).
struct Pool2dShape {
  int64_t batch, channels, height, width;
  int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
  int64_t out_h, out_w;
  int64_t dilation_h = 1, dilation_w = 1;  ///< max pooling only
};

/// Output size along one axis: (in + 2 pad - dilation (kernel - 1) - 1) / stride + 1, rounded
/// up with ceil_mode; then, as in PyTorch, a last window starting past the input and its left
/// padding (at (out - 1) stride >= in + pad) is dropped.
int64_t pool_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation,
                      bool ceil_mode);

/// out [N, C, OH, OW] = max over each window of input [N, C, H, W]; padding never wins.
/// argmax [N, C, OH, OW] receives the winner's flat index into input (N*C*H*W < 2^31), or -1
/// (and out -infinity) for a dilated window that holds no input element.
void max_pool2d_forward(float* out, int32_t* argmax, const float* input, const Pool2dShape& s);

/// grad_input [N, C, H, W] += grad_out [N, C, OH, OW] routed to the saved argmax positions.
void max_pool2d_backward(float* grad_input, const float* grad_out, const int32_t* argmax,
                         const Pool2dShape& s);

/// out [N, C, OH, OW] = sum over each window of input [N, C, H, W] / divisor: divisor_override
/// when > 0, else the window's size clipped to the padded input (KH*KW unless a ceil_mode window
/// runs past the padding) when count_include_pad, else its number of in-bounds elements.
void avg_pool2d_forward(float* out, const float* input, const Pool2dShape& s,
                        bool count_include_pad, int64_t divisor_override);

/// grad_input [N, C, H, W] += each grad_out element shared over its window, same divisor.
void avg_pool2d_backward(float* grad_input, const float* grad_out, const Pool2dShape& s,
                         bool count_include_pad, int64_t divisor_override);

/// Adaptive pooling of input [N, C, H, W] to [N, C, OH, OW] (s.out_h, s.out_w; the window fields
/// are unused): output (i, j) covers rows floor(i H / OH) .. ceil((i + 1) H / OH) - 1 and
/// likewise columns, as in PyTorch. The mean of each window.
void adaptive_avg_pool2d_forward(float* out, const float* input, const Pool2dShape& s);
/// grad_input += each grad_out element shared over its adaptive window.
void adaptive_avg_pool2d_backward(float* grad_input, const float* grad_out, const Pool2dShape& s);
/// The maximum of each adaptive window, with argmax as for max_pool2d_forward (the backward is
/// max_pool2d_backward).
void adaptive_max_pool2d_forward(float* out, int32_t* argmax, const float* input,
                                 const Pool2dShape& s);

}  // namespace minidl::kernels
