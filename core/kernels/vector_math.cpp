// The variants of unary_math (vector_math.h): one loop per function, compiled for each
// instruction set by the target attribute; the fast_math.h functions inline into it, so the
// compiler vectorises the whole loop at that set's width.
#include "core/kernels/vector_math.h"

#include "core/kernels/cpu_features.h"
#include "core/kernels/fast_math.h"

namespace minidl::kernels {

namespace {

// y[i] = f(x[i]); inlined into each variant so that it is compiled for that variant's set.
template <class F>
[[gnu::always_inline]] inline void each(const float* x, float* y, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

// The body of every variant.
[[gnu::always_inline]] inline void apply(UnaryMath fn, const float* x, float* y, int64_t n) {
  switch (fn) {
    case UnaryMath::Exp:
      each(x, y, n, [](float v) { return fast_exp(v); });
      break;
    case UnaryMath::Tanh:
      each(x, y, n, [](float v) { return fast_tanh(v); });
      break;
    case UnaryMath::Sigmoid:
      each(x, y, n, [](float v) { return fast_sigmoid(v); });
      break;
    case UnaryMath::Gelu:
      each(x, y, n, [](float v) { return fast_gelu(v); });
      break;
    case UnaryMath::GeluDerivative:
      each(x, y, n, [](float v) { return fast_gelu_derivative(v); });
      break;
  }
}

void unary_math_portable(UnaryMath fn, const float* x, float* y, int64_t n) { apply(fn, x, y, n); }

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void unary_math_avx2(UnaryMath fn, const float* x, float* y,
                                                         int64_t n) {
  apply(fn, x, y, n);
}

__attribute__((target("avx512f,fma"))) void unary_math_avx512(UnaryMath fn, const float* x,
                                                              float* y, int64_t n) {
  apply(fn, x, y, n);
}
#endif

}  // namespace

const std::vector<UnaryMathVariant>& unary_math_variants() {
  static const std::vector<UnaryMathVariant> variants = [] {
    const UnaryMathVariant all[] = {
#if defined(__x86_64__)
      {"avx512", unary_math_avx512},
      {"avx2", unary_math_avx2},
#endif
      {"portable", unary_math_portable},
    };
    std::vector<UnaryMathVariant> supported;
    for (const UnaryMathVariant& variant : all) {
      if (cpu_supports(variant.name)) supported.push_back(variant);
    }
    return supported;
  }();
  return variants;
}

void unary_math(UnaryMath fn, const float* x, float* y, int64_t n) {
  static const UnaryMathKernel best = unary_math_variants().front().kernel;
  best(fn, x, y, n);
}

}  // namespace minidl::kernels
