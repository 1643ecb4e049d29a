// exp, expm1, tanh, sigmoid, erfc and GELU of a float as branch-free arithmetic (range reduction, a
// polynomial, and the exponent set through the float's bits), so that a loop over a tensor
// calling them is vectorised by the compiler instead of calling libm once per element. Accuracy:
// exp, tanh and sigmoid within 4 ulp of libm's float results over the whole range, erfc within
// a relative 5e-7 (tests/core/test_fast_math.cpp); infinities, NaN, overflow to inf and
// underflow to 0 behave as libm's.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace minidl::kernels {

namespace detail {

/// 2^n as a float for whole numbers n in [-126, 127], through the exponent bits.
inline float pow2(int32_t n) { return std::bit_cast<float>((n + 127) << 23); }

/// e^r - 1 for |r| <= ln(2) / 2, by its Taylor series to r^9 (relative error below 1e-9).
inline float expm1_small(float r) {
  float p = 1.0F / 362880.0F;
  p = p * r + 1.0F / 40320.0F;
  p = p * r + 1.0F / 5040.0F;
  p = p * r + 1.0F / 720.0F;
  p = p * r + 1.0F / 120.0F;
  p = p * r + 1.0F / 24.0F;
  p = p * r + 1.0F / 6.0F;
  p = p * r + 0.5F;
  return (p * r + 1.0F) * r;
}

}  // namespace detail

/// e^(x + tail) for a `tail` far smaller than x that x's rounding left over (see fast_erfc):
/// x = n ln 2 + r with |r| <= ln(2) / 2, then (1 + expm1(r + tail)) 2^n. Large x gives inf, very
/// negative x gives 0 (through the subnormals), NaN stays NaN.
inline float exp_with_tail(float x, float tail) {
  // Beyond these bounds e^x is inf or 0 in float; clamping keeps n small. NaN fails both
  // comparisons and stays NaN.
  x = x < -104.0F ? -104.0F : x;
  x = x > 89.0F ? 89.0F : x;
  // n = round(x / ln 2) by adding 1.5 * 2^23, which leaves n in the low mantissa bits.
  constexpr float kRound = 12582912.0F;
  const float shifted = x * 1.44269504088896341F + kRound;
  const int32_t n = std::bit_cast<int32_t>(shifted) - std::bit_cast<int32_t>(kRound);
  const float whole = shifted - kRound;
  // r = x - n ln 2, with ln 2 in two parts so that n ln 2 is exact to float precision.
  const float r = (x - whole * 0.693145751953125F) - whole * 1.42860682030941723212e-6F + tail;
  // 2^n in two factors so that n from -150 to 128 never leaves the normal exponent range.
  const int32_t half = n >> 1;
  return (detail::expm1_small(r) + 1.0F) * detail::pow2(half) * detail::pow2(n - half);
}

/// e^x.
inline float fast_exp(float x) { return exp_with_tail(x, 0.0F); }

/// e^x - 1, accurate relative to the result also for small |x| (where e^x - 1 would cancel).
inline float fast_expm1(float x) {
  const float small = detail::expm1_small(x < -0.5F ? -0.5F : (x > 0.5F ? 0.5F : x));
  const float large = fast_exp(x) - 1.0F;
  const float magnitude = x < 0.0F ? -x : x;
  return magnitude <= 0.34657359F ? small : large;  // the series' range: |x| <= ln(2) / 2
}

/// tanh(x) = expm1(2|x|) / (expm1(2|x|) + 2) with the sign of x; |x| >= 9 gives +-1.
inline float fast_tanh(float x) {
  float magnitude = x < 0.0F ? -x : x;
  magnitude = magnitude > 9.0F ? 9.0F : magnitude;  // tanh(9) rounds to 1; NaN stays NaN
  const float e = fast_expm1(2.0F * magnitude);
  return std::copysign(e / (e + 2.0F), x);
}

/// 1 / (1 + e^-x), as e^x / (1 + e^x) for negative x so that tiny results keep their digits.
inline float fast_sigmoid(float x) {
  const float e = fast_exp(x < 0.0F ? x : -x);  // e^-|x|, in (0, 1]; NaN stays NaN
  const float s = 1.0F / (1.0F + e);
  return x < 0.0F ? e * s : s;
}

/// erfc(x) = 1 - erf(x) = t e^(-x^2) Q(t) with t = 1 / (1 + |x| / 2) for x >= 0, and 2 - erfc(-x)
/// below 0; Q is a degree-10 polynomial fitted (least squares, relative) to erfc(x) e^(x^2) / t
/// on [0, 10], within 2e-8. x^2 is split as h^2 + (x - h)(x + h) with h = x cut to 12 bits (h^2
/// is exact), so its rounding does not reach e^(-x^2). Relative error within 5e-7 of the true
/// erfc while that is above float's smallest normal number (x < 9.2), absolute within 4e-7.
inline float fast_erfc(float x) {
  float a = x < 0.0F ? -x : x;
  a = a > 11.0F ? 11.0F : a;  // erfc(11) is 0 in float; NaN stays NaN
  const float t = 1.0F / (1.0F + 0.5F * a);
  float q = 4.106707372e-02F;
  q = q * t - 2.204134980e-01F;
  q = q * t + 4.524605088e-01F;
  q = q * t - 3.880000143e-01F;
  q = q * t + 6.428161682e-02F;
  q = q * t - 1.441289694e-02F;
  q = q * t + 7.403417708e-02F;
  q = q * t + 1.807663799e-01F;
  q = q * t + 2.459410001e-01F;
  q = q * t + 2.821845647e-01F;
  q = q * t + 2.820911073e-01F;
  const float head = std::bit_cast<float>(std::bit_cast<uint32_t>(a) & 0xFFFFF000U);
  const float tail = (a - head) * (a + head);  // a^2 = head^2 + tail
  const float e = t * exp_with_tail(-head * head, -tail) * q;
  return x < 0.0F ? 2.0F - e : e;
}

/// GELU, exact form: x Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2 (no cancellation for x < 0).
inline float fast_gelu(float x) { return 0.5F * x * fast_erfc(-0.70710678118654752F * x); }

/// GELU's derivative, exact form: Phi(x) + x phi(x), phi(x) = e^(-x^2 / 2) / sqrt(2 pi).
inline float fast_gelu_derivative(float x) {
  return 0.5F * fast_erfc(-0.70710678118654752F * x) +
         x * 0.39894228040143268F * fast_exp(-0.5F * x * x);
}

}  // namespace minidl::kernels
