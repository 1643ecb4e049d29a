// Elementwise arithmetic with NumPy broadcasting, tensor-scalar forms, and the C++ operators.
#pragma once

#include "core/tensor.h"

namespace minidl {

/// a + b, broadcast.
Tensor add(const Tensor& a, const Tensor& b);
/// a - b, broadcast.
Tensor sub(const Tensor& a, const Tensor& b);
/// a * b elementwise, broadcast.
Tensor mul(const Tensor& a, const Tensor& b);
/// a / b elementwise, broadcast.
Tensor div(const Tensor& a, const Tensor& b);
/// a + s.
Tensor add(const Tensor& a, float s);
/// a - s.
Tensor sub(const Tensor& a, float s);
/// a * s.
Tensor mul(const Tensor& a, float s);
/// a / s.
Tensor div(const Tensor& a, float s);
/// s - a.
Tensor sub(float s, const Tensor& a);
/// s / a.
Tensor div(float s, const Tensor& a);
/// -a.
Tensor neg(const Tensor& a);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, float s);
Tensor operator-(const Tensor& a, float s);
Tensor operator*(const Tensor& a, float s);
Tensor operator/(const Tensor& a, float s);
Tensor operator+(float s, const Tensor& a);
Tensor operator-(float s, const Tensor& a);
Tensor operator*(float s, const Tensor& a);
Tensor operator/(float s, const Tensor& a);
Tensor operator-(const Tensor& a);

}  // namespace minidl
