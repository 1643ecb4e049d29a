// linear: input @ weight^T + bias as one fused differentiable op (one GEMM each way), the
// computation of nn::Linear.
#pragma once

#include "core/tensor.h"

namespace minidl {

/// input [*, in] @ weight [out, in]^T + bias [out] (bias may be undefined) -> [*, out].
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});

}  // namespace minidl
