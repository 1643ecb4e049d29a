// index_select (backward: add each gradient slice back at its index), gather (backward: add
// each gradient element back at its index), cat (backward: cut the
// gradient into the inputs' pieces) and stack (unsqueeze + cat).
#include "core/ops/indexing.h"

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/kernels/strided.h"
#include "core/ops/view.h"

namespace minidl {

namespace {

// The whole-number indices held by `index`, each checked against `size`.
std::vector<int64_t> checked_indices(const Tensor& index, int64_t size, int64_t dim,
                                     const Shape& shape) {
  MINIDL_CHECK(index.dim() == 1, "index_select: index must be 1-D, got shape {}", index.shape());
  std::vector<int64_t> positions;
  for (float value : index.to_vector()) {
    const FloatIndex checked = float_index(value, size);
    MINIDL_CHECK(checked.whole, "index_select: index {} is not a whole number", value);
    MINIDL_CHECK(checked.in_range,
                 "index_select: index {} out of range for dim {} of shape {} (size {})", value, dim,
                 shape, size);
    positions.push_back(checked.index);
  }
  return positions;
}

// Calls body(i, base, stride) for element i of the contiguous `positions`: base is the offset,
// in a tensor of `strides` starting at `offset`, of position i with the gathered dim at 0, and
// stride that dim's stride (the index picks base + index * stride).
template <class Body>
void for_each_gathered(const Tensor& positions, Strides strides, int64_t offset, int64_t dim,
                       Body&& body) {
  const int64_t stride = strides.empty() ? 0 : strides[static_cast<size_t>(dim)];
  if (!strides.empty()) strides[static_cast<size_t>(dim)] = 0;
  int64_t i = 0;
  kernels::for_each_element<1>(positions.shape(), {strides}, {offset},
                               [&](int64_t base) { body(i++, base, stride); });
}

}  // namespace

Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index) {
  dim = wrap_dim("index_select", dim, a.dim());
  MINIDL_CHECK(a.dim() > 0, "index_select: cannot index a 0-d tensor");
  std::vector<int64_t> positions = checked_indices(index, a.size(dim), dim, a.shape());
  Shape shape = a.shape();
  shape[static_cast<size_t>(dim)] = static_cast<int64_t>(positions.size());
  Tensor out = Tensor::empty(shape, "index_select");
  Tensor source = a.detach();
  for (size_t j = 0; j < positions.size(); ++j) {
    out.narrow(dim, static_cast<int64_t>(j), 1).copy_(source.narrow(dim, positions[j], 1));
  }
  return autograd::record(
      "index_select", {a}, out, [input = a.shape(), dim, positions](const Tensor& g) {
        Tensor grad = zeros(input);  // repeated indices add up
        for (size_t j = 0; j < positions.size(); ++j) {
          grad.narrow(dim, positions[j], 1).add_(g.narrow(dim, static_cast<int64_t>(j), 1));
        }
        return std::vector<Tensor>{grad};
      });
}

Tensor gather(const Tensor& a, int64_t dim, const Tensor& index) {
  dim = wrap_dim("gather", dim, a.dim());
  MINIDL_CHECK(index.dim() == a.dim(), "gather: index of shape {} must have the {} dims of {}",
               index.shape(), a.dim(), a.shape());
  for (int64_t d = 0; d < a.dim(); ++d) {
    MINIDL_CHECK(d == dim || index.size(d) <= a.size(d),
                 "gather: index of shape {} is larger than input {} outside dim {}", index.shape(),
                 a.shape(), dim);
  }
  const int64_t size = a.dim() == 0 ? 1 : a.size(dim);
  Tensor source = a.detach();
  Tensor positions = clone(index.detach());  // the backward's own copy: index may change later
  const float* in = source.storage()->data();
  Tensor out = Tensor::empty(positions.shape(), "gather");
  float* result = out.data();
  for_each_gathered(positions, source.strides(), source.offset(), dim,
                    [&](int64_t i, int64_t base, int64_t stride) {
                      const float value = positions.data()[i];
                      const FloatIndex checked = float_index(value, size);
                      MINIDL_CHECK(checked.in_range,
                                   "gather: index {} is not a whole number in [0, {}) for dim {} "
                                   "of shape {}",
                                   value, size, dim, a.shape());
                      result[i] = in[base + checked.index * stride];
                    });
  return autograd::record("gather", {a}, out, [input = a.shape(), dim, positions](const Tensor& g) {
    Tensor grad = zeros(input);  // repeated indices add up
    Tensor g_rows = g.contiguous();
    for_each_gathered(positions, grad.strides(), 0, dim,
                      [&](int64_t i, int64_t base, int64_t stride) {
                        const auto at = static_cast<int64_t>(positions.data()[i]);
                        grad.data()[base + at * stride] += g_rows.data()[i];
                      });
    return std::vector<Tensor>{grad};
  });
}

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  MINIDL_CHECK(!tensors.empty(), "cat: needs at least one tensor");
  const Shape& first = tensors.front().shape();
  MINIDL_CHECK(!first.empty(), "cat: cannot join 0-d tensors; use stack");
  dim = wrap_dim("cat", dim, static_cast<int64_t>(first.size()));
  const auto d = static_cast<size_t>(dim);
  Shape shape = first;
  shape[d] = 0;
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Shape& s = tensors[i].shape();
    bool matches = s.size() == first.size();
    for (size_t k = 0; matches && k < s.size(); ++k) matches = k == d || s[k] == first[k];
    MINIDL_CHECK(matches,
                 "cat: tensor {} has shape {} but tensor 0 has {} (only dim {} may differ)", i, s,
                 first, dim);
    sizes.push_back(s[d]);
    shape[d] = checked_add("cat", shape[d], s[d]);
  }
  Tensor out = Tensor::empty(shape, "cat");
  int64_t start = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    out.narrow(dim, start, sizes[i]).copy_(tensors[i].detach());
    start += sizes[i];
  }
  return autograd::record("cat", tensors, out, [dim, sizes](const Tensor& g) {
    std::vector<Tensor> grads;
    int64_t offset = 0;
    for (int64_t size : sizes) {
      grads.push_back(g.narrow(dim, offset, size));
      offset += size;
    }
    return grads;
  });
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  MINIDL_CHECK(!tensors.empty(), "stack: needs at least one tensor");
  dim = wrap_dim("stack", dim, tensors.front().dim() + 1);
  std::vector<Tensor> expanded;
  for (size_t i = 0; i < tensors.size(); ++i) {
    MINIDL_CHECK(tensors[i].shape() == tensors.front().shape(),
                 "stack: tensor {} has shape {} but tensor 0 has {}", i, tensors[i].shape(),
                 tensors.front().shape());
    expanded.push_back(tensors[i].unsqueeze(dim));
  }
  return cat(expanded, dim);
}

}  // namespace minidl
