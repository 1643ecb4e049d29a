// Strided iteration: visit every element of a shape in row-major order while tracking the
// element offset of N operands with their own strides (views, broadcasts with stride 0).
// Dims that are contiguous for every operand are merged first, so a contiguous tensor is one
// flat inner loop that the compiler can vectorise. No allocation per element.
#pragma once

#include <array>
#include <cstdint>
#include <tuple>
#include <vector>

#include "core/shape.h"

namespace minidl::kernels {

/// Shape and per-operand strides with size-1 dims dropped and mergeable dims merged.
template <size_t N>
struct Layout {
  Shape shape;
  std::array<Strides, N> strides;
};

/// Drops size-1 dims and merges neighbours that are contiguous for every operand.
template <size_t N>
Layout<N> coalesce(const Shape& shape, const std::array<Strides, N>& strides) {
  Layout<N> out;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    bool mergeable = !out.shape.empty();
    for (size_t k = 0; k < N && mergeable; ++k) {
      mergeable = out.strides[k].back() == strides[k][d] * shape[d];
    }
    if (mergeable) {
      out.shape.back() *= shape[d];
      for (size_t k = 0; k < N; ++k) out.strides[k].back() = strides[k][d];
    } else {
      out.shape.push_back(shape[d]);
      for (size_t k = 0; k < N; ++k) out.strides[k].push_back(strides[k][d]);
    }
  }
  return out;
}

/// Calls row(offsets, count, inner_strides) for every innermost row of `shape`: the row's first
/// element is at offsets[k] in operand k, and its `count` elements step by inner_strides[k].
template <size_t N, class Row>
void for_each_row(const Shape& shape, const std::array<Strides, N>& strides,
                  std::array<int64_t, N> base, Row&& row) {
  if (numel_of(shape) == 0) return;
  Layout<N> layout = coalesce<N>(shape, strides);
  const auto ndim = static_cast<int64_t>(layout.shape.size());
  std::array<int64_t, N> inner_stride{};
  if (ndim == 0) {
    row(base, int64_t{1}, inner_stride);
    return;
  }
  const int64_t inner = layout.shape[static_cast<size_t>(ndim - 1)];
  for (size_t k = 0; k < N; ++k) inner_stride[k] = layout.strides[k].back();
  std::vector<int64_t> index(static_cast<size_t>(ndim), 0);
  std::array<int64_t, N> offsets = base;
  while (true) {
    row(offsets, inner, inner_stride);
    int64_t d = ndim - 2;
    for (; d >= 0; --d) {
      auto ud = static_cast<size_t>(d);
      ++index[ud];
      for (size_t k = 0; k < N; ++k) offsets[k] += layout.strides[k][ud];
      if (index[ud] < layout.shape[ud]) break;
      for (size_t k = 0; k < N; ++k) offsets[k] -= layout.strides[k][ud] * layout.shape[ud];
      index[ud] = 0;
    }
    if (d < 0) return;
  }
}

/// Calls body(offset_0, ..., offset_{N-1}) for every element, offsets starting at `base`.
template <size_t N, class Body>
void for_each_element(const Shape& shape, const std::array<Strides, N>& strides,
                      std::array<int64_t, N> base, Body&& body) {
  for_each_row<N>(shape, strides, base,
                  [&](std::array<int64_t, N> offsets, int64_t count,
                      const std::array<int64_t, N>& inner_stride) {
                    for (int64_t i = 0; i < count; ++i) {
                      std::apply(body, offsets);
                      for (size_t k = 0; k < N; ++k) offsets[k] += inner_stride[k];
                    }
                  });
}

}  // namespace minidl::kernels
