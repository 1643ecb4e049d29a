// Matrix product with PyTorch's rules: 1-D @ 1-D (dot), 2-D @ 2-D, matrix @ vector,
// vector @ matrix, and batched N-D @ N-D with broadcast batch dims.
#pragma once

#include "core/tensor.h"

namespace minidl {

/// The matrix product of a and b (see the header comment for the accepted ranks).
Tensor matmul(const Tensor& a, const Tensor& b);

}  // namespace minidl
