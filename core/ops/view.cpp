// View ops and copies. Adjoints: reshape <-> reshape, permute <-> inverse permute,
// expand <-> sum_to, slice <-> scatter into zeros, copy <-> identity.
#include "core/ops/view.h"

#include <algorithm>

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/ops/map.h"
#include "core/ops/reduction.h"

namespace minidl {

using autograd::record;
using Grads = std::vector<Tensor>;

namespace {

// Resolves one -1 in `requested` so the shape holds as many elements as `input`.
Shape infer_shape(std::string_view op, const Shape& input, const Shape& requested) {
  Shape shape = requested;
  Shape known;  // the sizes given, without the -1
  int64_t infer_at = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == -1) {
      MINIDL_CHECK(infer_at < 0, "{}: more than one -1 in shape {}", op, requested);
      infer_at = static_cast<int64_t>(d);
    } else {
      MINIDL_CHECK(shape[d] >= 0, "{}: negative size {} in shape {}", op, shape[d], requested);
      known.push_back(shape[d]);
    }
  }
  const int64_t known_numel = checked_numel(op, known);
  const int64_t numel = numel_of(input);
  if (infer_at >= 0) {
    MINIDL_CHECK(known_numel != 0 && numel % known_numel == 0,
                 "{}: cannot infer the -1 in shape {} for an input of shape {} ({} elements)", op,
                 requested, input, numel);
    shape[static_cast<size_t>(infer_at)] = numel / known_numel;
  }
  const int64_t shape_numel = checked_numel(op, shape);
  MINIDL_CHECK(shape_numel == numel, "{}: shape {} has {} elements but the input {} has {}", op,
               requested, shape_numel, input, numel);
  return shape;
}

// A copy of `a`'s values in fresh contiguous storage (not recorded).
Tensor copy_of(const Tensor& a) {
  return detail::map(a.detach(), [](float x) { return x; });  // version 0, unlike copy_ into it
}

// Another view of `a`'s storage (not recorded).
Tensor restride(const Tensor& a, Shape shape, Strides strides, int64_t offset) {
  return Tensor::view_of(a.storage(), offset, std::move(shape), std::move(strides));
}

// Records a view or copy whose gradient is the output gradient reshaped to the input's shape.
Tensor record_reshaping(std::string_view name, const Tensor& a, const Tensor& out) {
  return record(name, {a}, out,
                [shape = a.shape()](const Tensor& g) { return Grads{g.reshape(shape)}; });
}

}  // namespace

Tensor reshape(const Tensor& a, const Shape& requested) {
  Shape shape = infer_shape("reshape", a.shape(), requested);
  Tensor source = a.is_contiguous() ? a : copy_of(a);
  return record_reshaping("reshape", a,
                          restride(source, shape, contiguous_strides(shape), source.offset()));
}

Tensor view(const Tensor& a, const Shape& requested) {
  Shape shape = infer_shape("view", a.shape(), requested);
  MINIDL_CHECK(a.is_contiguous(),
               "view: tensor of shape {} with strides {} is not contiguous; use reshape (copies) "
               "or call contiguous() first",
               a.shape(), a.strides());
  return record_reshaping("view", a, restride(a, shape, contiguous_strides(shape), a.offset()));
}

Tensor flatten(const Tensor& a, int64_t start_dim, int64_t end_dim) {
  if (a.dim() == 0) return reshape(a, {1});
  start_dim = wrap_dim("flatten", start_dim, a.dim());
  end_dim = wrap_dim("flatten", end_dim, a.dim());
  MINIDL_CHECK(start_dim <= end_dim, "flatten: start_dim {} is after end_dim {}", start_dim,
               end_dim);
  Shape shape(a.shape().begin(), a.shape().begin() + start_dim);
  int64_t merged = 1;
  for (int64_t d = start_dim; d <= end_dim; ++d) merged *= a.shape()[static_cast<size_t>(d)];
  shape.push_back(merged);
  shape.insert(shape.end(), a.shape().begin() + end_dim + 1, a.shape().end());
  return reshape(a, shape);
}

Tensor squeeze(const Tensor& a) {
  Shape shape;
  Strides strides;
  for (size_t d = 0; d < a.shape().size(); ++d) {
    if (a.shape()[d] == 1) continue;
    shape.push_back(a.shape()[d]);
    strides.push_back(a.strides()[d]);
  }
  return record_reshaping("squeeze", a, restride(a, shape, strides, a.offset()));
}

Tensor squeeze(const Tensor& a, int64_t dim) {
  dim = wrap_dim("squeeze", dim, a.dim());
  if (a.dim() == 0) return record_reshaping("squeeze", a, restride(a, {}, {}, a.offset()));
  const auto d = static_cast<size_t>(dim);
  if (a.shape()[d] != 1) {  // as in PyTorch: nothing to remove
    return record_reshaping("squeeze", a, restride(a, a.shape(), a.strides(), a.offset()));
  }
  Shape shape = a.shape();
  Strides strides = a.strides();
  shape.erase(shape.begin() + dim);
  strides.erase(strides.begin() + dim);
  return record_reshaping("squeeze", a, restride(a, shape, strides, a.offset()));
}

Tensor unsqueeze(const Tensor& a, int64_t dim) {
  dim = wrap_dim("unsqueeze", dim, a.dim() + 1);
  const auto d = static_cast<size_t>(dim);
  Shape shape = a.shape();
  Strides strides = a.strides();
  const int64_t stride = d < shape.size() ? shape[d] * strides[d] : 1;
  shape.insert(shape.begin() + dim, 1);
  strides.insert(strides.begin() + dim, stride);
  return record_reshaping("unsqueeze", a, restride(a, shape, strides, a.offset()));
}

Tensor transpose(const Tensor& a, int64_t dim0, int64_t dim1) {
  dim0 = wrap_dim("transpose", dim0, a.dim());
  dim1 = wrap_dim("transpose", dim1, a.dim());
  std::vector<int64_t> order(a.shape().size());
  for (size_t d = 0; d < order.size(); ++d) order[d] = static_cast<int64_t>(d);
  if (!order.empty()) std::swap(order[static_cast<size_t>(dim0)], order[static_cast<size_t>(dim1)]);
  return permute(a, order);
}

Tensor permute(const Tensor& a, const std::vector<int64_t>& dims) {
  MINIDL_CHECK(static_cast<int64_t>(dims.size()) == a.dim(),
               "permute: {} dims given for a tensor of shape {}", dims.size(), a.shape());
  Shape shape(dims.size());
  Strides strides(dims.size());
  std::vector<int64_t> inverse(dims.size(), -1);
  for (size_t i = 0; i < dims.size(); ++i) {
    const auto d = static_cast<size_t>(wrap_dim("permute", dims[i], a.dim()));
    MINIDL_CHECK(inverse[d] < 0, "permute: {} is not a permutation of the dims of {}", dims,
                 a.shape());
    inverse[d] = static_cast<int64_t>(i);
    shape[i] = a.shape()[d];
    strides[i] = a.strides()[d];
  }
  Tensor out = restride(a, shape, strides, a.offset());
  return record("permute", {a}, out,
                [inverse](const Tensor& g) { return Grads{permute(g, inverse)}; });
}

Tensor expand(const Tensor& a, const Shape& requested) {
  MINIDL_CHECK(requested.size() >= a.shape().size(),
               "expand: cannot expand shape {} to fewer dims {}", a.shape(), requested);
  const size_t lead = requested.size() - a.shape().size();
  Shape shape = requested;
  Strides strides(requested.size(), 0);
  for (size_t d = 0; d < requested.size(); ++d) {
    if (d < lead) {
      MINIDL_CHECK(requested[d] >= 0, "expand: new leading dim {} needs a size, got {}", d,
                   requested[d]);
      continue;
    }
    const int64_t size = a.shape()[d - lead];
    if (requested[d] == -1 || requested[d] == size) {  // -1: keep the size
      shape[d] = size;
      strides[d] = a.strides()[d - lead];
    } else {
      MINIDL_CHECK(requested[d] >= 0, "expand: negative size {} in {} (only -1, keep, is allowed)",
                   requested[d], requested);
      MINIDL_CHECK(size == 1, "expand: cannot expand shape {} to {} (dim {}: {} is not 1)",
                   a.shape(), requested, d, size);
    }
  }
  checked_numel("expand", shape);  // a view, but every op reading it counts its elements
  Tensor out = restride(a, shape, strides, a.offset());
  return record("expand", {a}, out,
                [input = a.shape()](const Tensor& g) { return Grads{sum_to(g, input)}; });
}

Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end, int64_t step) {
  dim = wrap_dim("slice", dim, a.dim());
  MINIDL_CHECK(a.dim() > 0, "slice: cannot slice a 0-d tensor");
  MINIDL_CHECK(step > 0, "slice: step must be positive, got {}", step);
  const auto d = static_cast<size_t>(dim);
  const int64_t size = a.shape()[d];
  auto clamp_index = [size](int64_t index) {
    if (index < 0) index += size;
    return std::clamp<int64_t>(index, 0, size);
  };
  start = clamp_index(start);
  end = std::max(start, clamp_index(end));
  // A step past the dim's size takes at most one element; clamping it keeps the stride in range.
  const int64_t stride_step = std::min(step, std::max<int64_t>(size, 1));
  Shape shape = a.shape();
  Strides strides = a.strides();
  shape[d] = end == start ? 0 : (end - start - 1) / step + 1;
  strides[d] *= stride_step;
  Tensor out = restride(a, shape, strides, a.offset() + start * a.strides()[d]);
  return record("slice", {a}, out, [input = a.shape(), dim, start, end, step](const Tensor& g) {
    Tensor grad = zeros(input);
    grad.slice(dim, start, end, step).copy_(g);  // scatter back; other positions get 0
    return Grads{grad};
  });
}

Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length) {
  dim = wrap_dim("narrow", dim, a.dim());
  const int64_t size = a.dim() == 0 ? 1 : a.shape()[static_cast<size_t>(dim)];
  MINIDL_CHECK(start >= -size && start <= size,
               "narrow: start {} out of range [{}, {}] for dim {} of shape {}", start, -size, size,
               dim, a.shape());
  if (start < 0) start += size;
  const int64_t end = checked_add("narrow", start, length);
  MINIDL_CHECK(length >= 0 && end <= size,
               "narrow: range [{}, {}) out of range for dim {} of shape {}", start, end, dim,
               a.shape());
  return slice(a, dim, start, end);
}

Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats) {
  const auto ndim = static_cast<int64_t>(repeats.size());
  MINIDL_CHECK(ndim >= a.dim(), "repeat: {} repeats for a tensor of shape {} ({} dims)", ndim,
               a.shape(), a.dim());
  // [s0, s1, ...] (with leading 1s) viewed as [1, s0, 1, s1, ...], expanded to
  // [r0, s0, r1, s1, ...] and merged pairwise into [r0 * s0, r1 * s1, ...].
  Shape interleaved;
  Shape expanded;
  Shape merged;
  for (int64_t d = 0; d < ndim; ++d) {
    const int64_t r = repeats[static_cast<size_t>(d)];
    MINIDL_CHECK(r >= 0, "repeat: negative repeat count {} in {}", r, repeats);
    const int64_t lead = ndim - a.dim();
    const int64_t s = d < lead ? 1 : a.size(d - lead);
    interleaved.insert(interleaved.end(), {1, s});
    expanded.insert(expanded.end(), {r, s});
    merged.push_back(checked_mul("repeat", r, s));
  }
  checked_numel("repeat", merged);
  return reshape(expand(reshape(a, interleaved), expanded), merged);
}

Tensor contiguous(const Tensor& a) {
  if (a.is_contiguous()) return a;
  return record("contiguous", {a}, copy_of(a), [](const Tensor& g) { return Grads{g}; });
}

Tensor clone(const Tensor& a) {
  return record("clone", {a}, copy_of(a), [](const Tensor& g) { return Grads{g}; });
}

}  // namespace minidl
