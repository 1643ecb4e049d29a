// topk: picks each row's indices with a partial sort on a contiguous copy, then gathers the
// values (gather records the gradient's path back to the selected elements).
#include "core/ops/topk.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/ops/indexing.h"

namespace minidl {

std::tuple<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest,
                                bool sorted) {
  dim = wrap_dim("topk", dim, a.dim());
  const int64_t size = a.dim() == 0 ? 1 : a.size(dim);
  MINIDL_CHECK(k >= 0 && k <= size, "topk: k = {} out of range [0, {}] for dim {} of shape {}", k,
               size, dim, a.shape());
  MINIDL_CHECK(a.dim() > 0 || k == 1, "topk: k must be 1 for a 0-d tensor, got {}", k);
  Tensor x = a.detach().contiguous();
  const auto [outer, n, inner] = split_at_dim(x.shape(), dim);
  Shape shape = x.shape();
  if (!shape.empty()) shape[static_cast<size_t>(dim)] = k;
  Tensor indices = Tensor::empty(shape, "topk");
  const float* in = x.data();   // [outer, n, inner]
  float* out = indices.data();  // [outer, k, inner]
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t b = 0; b < outer; ++b) {
    for (int64_t c = 0; c < inner; ++c) {
      const float* row = in + b * n * inner + c;
      const int64_t stride = inner;  // a copy: lambdas may not capture structured bindings (clang)
      // Strictly before: more extreme, NaN first; ties keep the lower index.
      auto before = [&](int64_t i, int64_t j) {
        const float u = row[i * stride];
        const float v = row[j * stride];
        if (std::isnan(u) || std::isnan(v)) return std::isnan(u) && !std::isnan(v);
        if (u != v) return largest ? u > v : u < v;
        return i < j;
      };
      std::iota(order.begin(), order.end(), int64_t{0});
      std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      if (!sorted) std::sort(order.begin(), order.begin() + k);
      for (int64_t j = 0; j < k; ++j) {
        out[(b * k + j) * inner + c] = static_cast<float>(order[static_cast<size_t>(j)]);
      }
    }
  }
  return {gather(a, dim, indices), indices};
}

}  // namespace minidl
