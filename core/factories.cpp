// Tensor factories.
#include "core/factories.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace minidl {

namespace {

// A new tensor of `shape` holding `value` everywhere; `op` names the caller in errors.
Tensor filled(std::string_view op, const Shape& shape, float value) {
  Tensor out = Tensor::empty(shape, op);
  std::fill(out.data(), out.data() + out.numel(), value);
  return out;
}

}  // namespace

Tensor zeros(const Shape& shape) { return filled("zeros", shape, 0.0F); }
Tensor ones(const Shape& shape) { return filled("ones", shape, 1.0F); }
Tensor zeros_like(const Tensor& like) { return zeros(like.shape()); }
Tensor ones_like(const Tensor& like) { return ones(like.shape()); }
Tensor full(const Shape& shape, float value) { return filled("full", shape, value); }

Tensor arange(float end) { return arange(0.0F, end, 1.0F); }

Tensor arange(float start, float end, float step) {
  MINIDL_CHECK(step != 0.0F && std::isfinite(step) && std::isfinite(start) && std::isfinite(end),
               "arange: bad range start={} end={} step={}", start, end, step);
  const double count = std::max(0.0, std::ceil((static_cast<double>(end) - start) / step));
  // Compared as a double first: converting a count beyond int64's range would be undefined.
  MINIDL_CHECK(count <= 0x1p62, "arange: start={} end={} step={} gives {:.6g} elements, too many",
               start, end, step, count);
  Tensor out = Tensor::empty({static_cast<int64_t>(count)}, "arange");
  for (int64_t i = 0; i < out.numel(); ++i) {
    out.data()[i] = static_cast<float>(start + static_cast<double>(i) * step);
  }
  return out;
}

Tensor from_vector(const std::vector<float>& values, Shape shape) {
  if (shape == Shape{-1}) shape = {static_cast<int64_t>(values.size())};
  const int64_t numel = checked_numel("from_vector", shape);
  MINIDL_CHECK(numel == static_cast<int64_t>(values.size()),
               "from_vector: {} values do not fill shape {} ({} elements)", values.size(), shape,
               numel);
  Tensor out = Tensor::empty(shape, "from_vector");
  std::copy(values.begin(), values.end(), out.data());
  return out;
}

Tensor scalar_tensor(float value) { return full({}, value); }

Tensor uniform(const Shape& shape, float low, float high, Generator& generator) {
  MINIDL_CHECK(low < high, "uniform: low {} must be below high {}", low, high);
  Tensor out = Tensor::empty(shape, "uniform");
  for (int64_t i = 0, end = out.numel(); i < end; ++i) out.data()[i] = generator.uniform(low, high);
  return out;
}

Tensor normal(const Shape& shape, float mean, float std, Generator& generator) {
  MINIDL_CHECK(std >= 0.0F, "normal: negative standard deviation {}", std);
  Tensor out = Tensor::empty(shape, "normal");
  for (int64_t i = 0, end = out.numel(); i < end; ++i) out.data()[i] = generator.normal(mean, std);
  return out;
}

Tensor rand(const Shape& shape, Generator& generator) {
  return uniform(shape, 0.0F, 1.0F, generator);
}

Tensor randn(const Shape& shape, Generator& generator) {
  return normal(shape, 0.0F, 1.0F, generator);
}

}  // namespace minidl
