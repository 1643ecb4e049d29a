// Comparisons, logical ops and masks. Comparisons and logical ops return float32 tensors of 0 and
// 1 (minidl's one dtype) and carry no gradient; `where` and `masked_fill` select between values
// and are differentiable in the tensors they select from. All broadcast like arithmetic, so the
// accuracy of a classifier is one expression: mean(eq(argmax(logits, 1), targets)).
// NaN compares as in IEEE 754 (and PyTorch): eq and the orderings are false, ne is true.
#pragma once

#include "core/tensor.h"

namespace minidl {

/// 1 where a == b, else 0 (broadcast; no gradient).
Tensor eq(const Tensor& a, const Tensor& b);
/// 1 where a != b.
Tensor ne(const Tensor& a, const Tensor& b);
/// 1 where a < b.
Tensor lt(const Tensor& a, const Tensor& b);
/// 1 where a <= b.
Tensor le(const Tensor& a, const Tensor& b);
/// 1 where a > b.
Tensor gt(const Tensor& a, const Tensor& b);
/// 1 where a >= b.
Tensor ge(const Tensor& a, const Tensor& b);
/// 1 where a == s.
Tensor eq(const Tensor& a, float s);
/// 1 where a != s.
Tensor ne(const Tensor& a, float s);
/// 1 where a < s.
Tensor lt(const Tensor& a, float s);
/// 1 where a <= s.
Tensor le(const Tensor& a, float s);
/// 1 where a > s.
Tensor gt(const Tensor& a, float s);
/// 1 where a >= s.
Tensor ge(const Tensor& a, float s);

Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, float s);
Tensor operator!=(const Tensor& a, float s);
Tensor operator<(const Tensor& a, float s);
Tensor operator<=(const Tensor& a, float s);
Tensor operator>(const Tensor& a, float s);
Tensor operator>=(const Tensor& a, float s);

/// 1 where both a and b are non-zero (broadcast; no gradient).
Tensor logical_and(const Tensor& a, const Tensor& b);
/// 1 where a or b is non-zero.
Tensor logical_or(const Tensor& a, const Tensor& b);
/// 1 where a is zero.
Tensor logical_not(const Tensor& a);

/// a where cond is non-zero, else b, over the broadcast of the three; the gradient goes to the
/// selected side only (a NaN in the side not selected never leaks into the result or gradient).
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
/// `value` where mask is non-zero, else t (mask broadcasts to t's shape); differentiable in t.
Tensor masked_fill(const Tensor& t, const Tensor& mask, float value);

}  // namespace minidl
