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
};

/// Output size along one axis: (in + 2 pad - kernel) / stride + 1.
int64_t pool_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad);

/// out [N, C, OH, OW] = max over each window of input [N, C, H, W]; padding never wins.
/// argmax [N, C, OH, OW] receives the winner's flat index into input (N*C*H*W < 2^31).
void max_pool2d_forward(float* out, int32_t* argmax, const float* input, const Pool2dShape& s);

/// grad_input [N, C, H, W] += grad_out [N, C, OH, OW] routed to the saved argmax positions.
void max_pool2d_backward(float* grad_input, const float* grad_out, const int32_t* argmax,
                         const Pool2dShape& s);

/// out [N, C, OH, OW] = mean over each window of input [N, C, H, W]; the divisor is KH*KW when
/// count_include_pad, else the number of in-bounds elements of the window.
void avg_pool2d_forward(float* out, const float* input, const Pool2dShape& s,
                        bool count_include_pad);

/// grad_input [N, C, H, W] += each grad_out element shared over its window, same divisor.
void avg_pool2d_backward(float* grad_input, const float* grad_out, const Pool2dShape& s,
                         bool count_include_pad);

}  // namespace minidl::kernels
