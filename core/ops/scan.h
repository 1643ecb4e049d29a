// Scans: running sums along one dim.
#pragma once

#include "core/tensor.h"

namespace minidl {

/// Running sum along `dim`: out[..., i, ...] = a[..., 0, ...] + ... + a[..., i, ...], like
/// torch::cumsum (accumulated in double). The gradient is the reversed running sum of the
/// output's gradient.
Tensor cumsum(const Tensor& a, int64_t dim);

}  // namespace minidl
