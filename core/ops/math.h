// Elementwise math functions and activations.
#pragma once

#include <limits>
#include <string_view>

#include "core/tensor.h"

namespace minidl {

/// a raised to a scalar power; the gradient of a^0 is 0 everywhere (as in PyTorch).
Tensor pow(const Tensor& a, float exponent);
/// e^a.
Tensor exp(const Tensor& a);
/// Natural logarithm.
Tensor log(const Tensor& a);
/// Square root.
Tensor sqrt(const Tensor& a);
/// |a| (gradient 0 at 0).
Tensor abs(const Tensor& a);
/// a limited to [low, high]; gradient 1 inside (and on) the bounds, 0 outside; NaN stays NaN.
Tensor clamp(const Tensor& a, float low, float high = std::numeric_limits<float>::infinity());
/// max(a, 0); NaN stays NaN (as in PyTorch).
Tensor relu(const Tensor& a);
/// a for a > 0, negative_slope * a otherwise.
Tensor leaky_relu(const Tensor& a, float negative_slope = 0.01F);
/// 1 / (1 + e^-a), computed without overflow.
Tensor sigmoid(const Tensor& a);
/// Hyperbolic tangent.
Tensor tanh(const Tensor& a);
/// Gaussian error linear unit x * Phi(x): approximate "none" is exact (with erf), "tanh" is
/// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), as in PyTorch.
Tensor gelu(const Tensor& a, std::string_view approximate = "none");

}  // namespace minidl
