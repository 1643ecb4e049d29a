// Comparisons, logical ops, where and masked_fill (see compare.h). Comparisons and logical ops
// are detail::map2 over a predicate; where is the one selection kernel, and its backward sends
// the gradient through the same selection.
#include "core/ops/compare.h"

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/ops/map.h"
#include "core/ops/reduction.h"

namespace minidl {

namespace {

// A predicate's result as minidl's 0/1 floats.
constexpr float as_float(bool value) { return value ? 1.0F : 0.0F; }

// out[i] = cond[i] != 0 ? a[i] : b[i] over the broadcast of the three (no recording).
Tensor select(const Tensor& cond, const Tensor& a, const Tensor& b) {
  const Shape shape =
      broadcast_shapes("where", broadcast_shapes("where", cond.shape(), a.shape()), b.shape());
  const Tensor c = cond.detach().expand(shape).contiguous();
  const Tensor x = a.detach().expand(shape).contiguous();
  const Tensor y = b.detach().expand(shape).contiguous();
  Tensor out = Tensor::empty(shape);
  const float* pc = c.data();
  const float* px = x.data();
  const float* py = y.data();
  float* po = out.data();
  for (int64_t i = 0, end = out.numel(); i < end; ++i) po[i] = pc[i] != 0.0F ? px[i] : py[i];
  return out;
}

}  // namespace

Tensor eq(const Tensor& a, const Tensor& b) {
  return detail::map2("eq", a, b, [](float x, float y) { return as_float(x == y); });
}
Tensor ne(const Tensor& a, const Tensor& b) {
  return detail::map2("ne", a, b, [](float x, float y) { return as_float(x != y); });
}
Tensor lt(const Tensor& a, const Tensor& b) {
  return detail::map2("lt", a, b, [](float x, float y) { return as_float(x < y); });
}
Tensor le(const Tensor& a, const Tensor& b) {
  return detail::map2("le", a, b, [](float x, float y) { return as_float(x <= y); });
}
Tensor gt(const Tensor& a, const Tensor& b) {
  return detail::map2("gt", a, b, [](float x, float y) { return as_float(x > y); });
}
Tensor ge(const Tensor& a, const Tensor& b) {
  return detail::map2("ge", a, b, [](float x, float y) { return as_float(x >= y); });
}
Tensor eq(const Tensor& a, float s) { return eq(a, scalar_tensor(s)); }
Tensor ne(const Tensor& a, float s) { return ne(a, scalar_tensor(s)); }
Tensor lt(const Tensor& a, float s) { return lt(a, scalar_tensor(s)); }
Tensor le(const Tensor& a, float s) { return le(a, scalar_tensor(s)); }
Tensor gt(const Tensor& a, float s) { return gt(a, scalar_tensor(s)); }
Tensor ge(const Tensor& a, float s) { return ge(a, scalar_tensor(s)); }

Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator==(const Tensor& a, float s) { return eq(a, s); }
Tensor operator!=(const Tensor& a, float s) { return ne(a, s); }
Tensor operator<(const Tensor& a, float s) { return lt(a, s); }
Tensor operator<=(const Tensor& a, float s) { return le(a, s); }
Tensor operator>(const Tensor& a, float s) { return gt(a, s); }
Tensor operator>=(const Tensor& a, float s) { return ge(a, s); }

Tensor logical_and(const Tensor& a, const Tensor& b) {
  return detail::map2("logical_and", a, b,
                      [](float x, float y) { return as_float(x != 0.0F && y != 0.0F); });
}
Tensor logical_or(const Tensor& a, const Tensor& b) {
  return detail::map2("logical_or", a, b,
                      [](float x, float y) { return as_float(x != 0.0F || y != 0.0F); });
}
Tensor logical_not(const Tensor& a) {
  return detail::map(a, [](float x) { return as_float(x == 0.0F); });
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  MINIDL_CHECK(cond.defined() && a.defined() && b.defined(), "where: an argument is undefined");
  Tensor out = select(cond, a, b);
  return autograd::record("where", {a, b}, out,
                          [saved_cond = autograd::SavedTensor(cond), a_shape = a.shape(),
                           b_shape = b.shape()](const Tensor& grad) {
                            // d out / d a = 1 where cond, else 0; d out / d b the other way round
                            const Tensor& c = saved_cond.unpack();
                            const Tensor zero = zeros({});
                            return std::vector<Tensor>{sum_to(select(c, grad, zero), a_shape),
                                                       sum_to(select(c, zero, grad), b_shape)};
                          });
}

Tensor masked_fill(const Tensor& t, const Tensor& mask, float value) {
  MINIDL_CHECK(broadcast_shapes("masked_fill", t.shape(), mask.shape()) == t.shape(),
               "masked_fill: mask of shape {} does not broadcast to the tensor's shape {}",
               mask.shape(), t.shape());
  return where(mask, scalar_tensor(value), t);
}

}  // namespace minidl
