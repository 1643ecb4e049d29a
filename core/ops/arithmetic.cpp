// Elementwise arithmetic. Each op: forward through detail::map/map2, then record() with the
// backward right below it. Broadcasting's adjoint is sum_to(grad, input_shape).
#include "core/ops/arithmetic.h"

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/ops/map.h"
#include "core/ops/reduction.h"

namespace minidl {

using autograd::record;
using autograd::SavedTensor;
using Grads = std::vector<Tensor>;

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor out = detail::map2("add", a, b, [](float x, float y) { return x + y; });
  return record("add", {a, b}, out, [sa = a.shape(), sb = b.shape()](const Tensor& g) {
    return Grads{sum_to(g, sa), sum_to(g, sb)};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor out = detail::map2("sub", a, b, [](float x, float y) { return x - y; });
  return record("sub", {a, b}, out, [sa = a.shape(), sb = b.shape()](const Tensor& g) {
    return Grads{sum_to(g, sa), sum_to(neg(g), sb)};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = detail::map2("mul", a, b, [](float x, float y) { return x * y; });
  return record("mul", {a, b}, out, [a = SavedTensor(a), b = SavedTensor(b)](const Tensor& g) {
    // d(ab)/da = b, d(ab)/db = a
    return Grads{sum_to(mul(g, b.unpack()), a.unpack().shape()),
                 sum_to(mul(g, a.unpack()), b.unpack().shape())};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = detail::map2("div", a, b, [](float x, float y) { return x / y; });
  return record("div", {a, b}, out,
                [b = SavedTensor(b), y = SavedTensor(out), a_shape = a.shape()](const Tensor& g) {
                  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -(1/b)(a/b)
                  Tensor grad_a = div(g, b.unpack());
                  return Grads{sum_to(grad_a, a_shape),
                               sum_to(neg(mul(grad_a, y.unpack())), b.unpack().shape())};
                });
}

Tensor add(const Tensor& a, float s) {
  Tensor out = detail::map(a, [s](float x) { return x + s; });
  return record("add_scalar", {a}, out, [](const Tensor& g) { return Grads{g}; });
}

Tensor sub(const Tensor& a, float s) { return add(a, -s); }

Tensor mul(const Tensor& a, float s) {
  Tensor out = detail::map(a, [s](float x) { return x * s; });
  return record("mul_scalar", {a}, out, [s](const Tensor& g) { return Grads{mul(g, s)}; });
}

Tensor div(const Tensor& a, float s) {
  Tensor out = detail::map(a, [s](float x) { return x / s; });
  return record("div_scalar", {a}, out, [s](const Tensor& g) { return Grads{div(g, s)}; });
}

Tensor sub(float s, const Tensor& a) {
  Tensor out = detail::map(a, [s](float x) { return s - x; });
  return record("rsub_scalar", {a}, out, [](const Tensor& g) { return Grads{neg(g)}; });
}

Tensor div(float s, const Tensor& a) {
  Tensor out = detail::map(a, [s](float x) { return s / x; });
  return record("rdiv_scalar", {a}, out,
                [sa = SavedTensor(a), sy = SavedTensor(out)](const Tensor& g) {
                  // d(s/a)/da = -s/a^2 = -(s/a)/a
                  return Grads{detail::map2("rdiv_scalar", mul(g, sy.unpack()), sa.unpack(),
                                            [](float gy, float x) { return -gy / x; })};
                });
}

Tensor neg(const Tensor& a) {
  Tensor out = detail::map(a, [](float x) { return -x; });
  return record("neg", {a}, out, [](const Tensor& g) { return Grads{neg(g)}; });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, float s) { return add(a, s); }
Tensor operator-(const Tensor& a, float s) { return sub(a, s); }
Tensor operator*(const Tensor& a, float s) { return mul(a, s); }
Tensor operator/(const Tensor& a, float s) { return div(a, s); }
Tensor operator+(float s, const Tensor& a) { return add(a, s); }
Tensor operator-(float s, const Tensor& a) { return sub(s, a); }
Tensor operator*(float s, const Tensor& a) { return mul(a, s); }
Tensor operator/(float s, const Tensor& a) { return div(s, a); }
Tensor operator-(const Tensor& a) { return neg(a); }

}  // namespace minidl
