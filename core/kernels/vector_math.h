// exp, tanh, sigmoid and GELU (with its derivative) over whole float arrays, through the branch-free functions of
// fast_math.h compiled once per instruction set (AVX-512, AVX2+FMA, portable SSE2) and chosen at
// run time from the CPU's features, as minidl's GEMM kernels are: an LSTM or a GPT spent a
// third of its step in these when libm computed them one element per call.
#pragma once

#include <cstdint>
#include <vector>

namespace minidl::kernels {

/// The functions unary_math computes.
enum class UnaryMath { Exp, Tanh, Sigmoid, Gelu, GeluDerivative };

/// y[i] = fn(x[i]) for i < n (x and y may be the same array).
using UnaryMathKernel = void (*)(UnaryMath fn, const float* x, float* y, int64_t n);

/// One instruction set's unary_math.
struct UnaryMathVariant {
  const char* name;  ///< "avx512", "avx2" or "portable"
  UnaryMathKernel kernel;
};

/// The variants this CPU can run, fastest first; the portable one is always there, last.
const std::vector<UnaryMathVariant>& unary_math_variants();

/// y[i] = fn(x[i]) for i < n with the fastest variant this CPU runs.
void unary_math(UnaryMath fn, const float* x, float* y, int64_t n);

}  // namespace minidl::kernels
