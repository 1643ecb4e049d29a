// Elementwise math and activations: forward with detail::map, backward with detail::map2 on
// (grad, saved input or output) using the derivative written beside it. Piecewise derivatives
// turn comparisons into 0/1 floats instead of branches: on real activations a branch is a coin
// flip, and a loop without one vectorises.
#include "core/ops/math.h"

#include <cmath>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/vector_math.h"
#include "core/ops/arithmetic.h"
#include "core/ops/map.h"
#include "core/parallel.h"

namespace minidl {

using autograd::record;
using Grads = std::vector<Tensor>;

namespace {

// Records a one-input op whose backward is grad * derivative(saved), elementwise.
template <class Derivative>
Tensor record_unary(std::string_view name, const Tensor& input, const Tensor& out,
                    const Tensor& saved, Derivative derivative) {
  return record(name, {input}, out,
                [name, saved = autograd::SavedTensor(saved), derivative](const Tensor& g) {
                  return Grads{detail::map2(
                      name, g, saved.unpack(),
                      [derivative](float grad, float value) { return grad * derivative(value); })};
                });
}

// fn(a) elementwise through the vectorised kernels of vector_math.h.
Tensor map_math(const Tensor& a, kernels::UnaryMath fn) {
  const Tensor x = a.detach().contiguous();
  Tensor out = Tensor::empty(x.shape());
  const float* in = x.data();
  float* o = out.data();
  parallel_for(0, x.numel(), detail::kElementwiseGrain, [&](int64_t begin, int64_t end) {
    kernels::unary_math(fn, in + begin, o + begin, end - begin);
  });
  return out;
}

}  // namespace

Tensor pow(const Tensor& a, float exponent) {
  Tensor out = detail::map(a, [exponent](float x) { return std::pow(x, exponent); });
  // d(x^p)/dx = p x^(p-1); for p = 0 the derivative is 0 everywhere (0 · 0^-1 would be NaN at 0)
  return record_unary("pow", a, out, a, [exponent](float x) {
    return exponent == 0.0F ? 0.0F : exponent * std::pow(x, exponent - 1.0F);
  });
}

Tensor exp(const Tensor& a) {
  Tensor out = map_math(a, kernels::UnaryMath::Exp);
  return record_unary("exp", a, out, out, [](float y) { return y; });  // (e^x)' = e^x
}

Tensor log(const Tensor& a) {
  Tensor out = detail::map(a, [](float x) { return std::log(x); });
  return record_unary("log", a, out, a, [](float x) { return 1.0F / x; });
}

Tensor sqrt(const Tensor& a) {
  Tensor out = detail::map(a, [](float x) { return std::sqrt(x); });
  return record_unary("sqrt", a, out, out, [](float y) { return 0.5F / y; });
}

Tensor abs(const Tensor& a) {
  Tensor out = detail::map(a, [](float x) { return std::fabs(x); });
  return record_unary("abs", a, out, a, [](float x) {
    return static_cast<float>(x > 0.0F) - static_cast<float>(x < 0.0F);
  });
}

Tensor clamp(const Tensor& a, float low, float high) {
  MINIDL_CHECK(!(low > high), "clamp: low {} is above high {}", low, high);
  // comparisons, not fmin/fmax, which would turn a NaN into a bound
  Tensor out =
      detail::map(a, [low, high](float x) { return x < low ? low : (x > high ? high : x); });
  return record_unary("clamp", a, out, a, [low, high](float x) {
    return static_cast<float>(x >= low) * static_cast<float>(x <= high);
  });
}

Tensor relu(const Tensor& a) {
  Tensor out = detail::map(a, [](float x) { return x < 0.0F ? 0.0F : x; });  // NaN stays NaN
  return record_unary("relu", a, out, a, [](float x) { return static_cast<float>(x > 0.0F); });
}

Tensor leaky_relu(const Tensor& a, float negative_slope) {
  Tensor out =
      detail::map(a, [negative_slope](float x) { return x > 0.0F ? x : negative_slope * x; });
  return record_unary("leaky_relu", a, out, a, [negative_slope](float x) {
    return negative_slope + (1.0F - negative_slope) * static_cast<float>(x > 0.0F);
  });
}

Tensor sigmoid(const Tensor& a) {
  Tensor out = map_math(a, kernels::UnaryMath::Sigmoid);
  return record_unary("sigmoid", a, out, out, [](float y) { return y * (1.0F - y); });
}

Tensor tanh(const Tensor& a) {
  Tensor out = map_math(a, kernels::UnaryMath::Tanh);
  return record_unary("tanh", a, out, out, [](float y) { return 1.0F - y * y; });
}

Tensor gelu(const Tensor& a, std::string_view approximate) {
  MINIDL_CHECK(approximate == "none" || approximate == "tanh",
               "gelu: approximate must be \"none\" or \"tanh\", got \"{}\"", approximate);
  constexpr float kSqrt2OverPi = 0.79788456080286536F;  // sqrt(2 / pi)
  constexpr float kCubic = 0.044715F;
  if (approximate == "none") {
    // x Phi(x), Phi the standard normal's distribution function; d/dx = Phi(x) + x phi(x)
    Tensor out = map_math(a, kernels::UnaryMath::Gelu);
    return record("gelu", {a}, out, [saved = autograd::SavedTensor(a)](const Tensor& g) {
      return Grads{mul(g, map_math(saved.unpack(), kernels::UnaryMath::GeluDerivative))};
    });
  }
  // x (1 + t) / 2 with t = tanh(u), u = sqrt(2/pi) (x + c x^3);
  // d/dx = (1 + t) / 2 + x (1 - t^2) / 2 * sqrt(2/pi) (1 + 3 c x^2)
  Tensor out = detail::map(a, [](float x) {
    return 0.5F * x * (1.0F + kernels::fast_tanh(kSqrt2OverPi * (x + kCubic * x * x * x)));
  });
  return record_unary("gelu", a, out, a, [](float x) {
    const float t = kernels::fast_tanh(kSqrt2OverPi * (x + kCubic * x * x * x));
    return 0.5F * (1.0F + t) +
           0.5F * x * (1.0F - t * t) * kSqrt2OverPi * (1.0F + 3.0F * kCubic * x * x);
  });
}

}  // namespace minidl
