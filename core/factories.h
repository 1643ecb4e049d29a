// Tensor factories. Random ones draw from the Generator passed, or from the default Generator
// that minidl::manual_seed seeds.
#pragma once

#include <vector>

#include "core/generator.h"
#include "core/tensor.h"

namespace minidl {

/// A tensor of zeros.
Tensor zeros(const Shape& shape);
/// A tensor of ones.
Tensor ones(const Shape& shape);
/// A tensor filled with `value`.
Tensor full(const Shape& shape, float value);
/// Zeros with the shape of `like`.
Tensor zeros_like(const Tensor& like);
/// Ones with the shape of `like`.
Tensor ones_like(const Tensor& like);
/// 0, 1, ..., end-1 as a 1-D tensor.
Tensor arange(float end);
/// start, start+step, ... up to (excluding) end, as a 1-D tensor.
Tensor arange(float start, float end, float step = 1.0F);
/// A tensor holding `values` in row-major order; a 1-D tensor when `shape` is omitted.
Tensor from_vector(const std::vector<float>& values, Shape shape = {-1});
/// A 0-dimensional tensor holding one value.
Tensor scalar_tensor(float value);
/// Uniform values in [0, 1).
Tensor rand(const Shape& shape, Generator& generator = default_generator());
/// Standard normal values.
Tensor randn(const Shape& shape, Generator& generator = default_generator());
/// Uniform values in [low, high).
Tensor uniform(const Shape& shape, float low, float high,
               Generator& generator = default_generator());
/// Normal values with the given mean and standard deviation.
Tensor normal(const Shape& shape, float mean, float std,
              Generator& generator = default_generator());

}  // namespace minidl
