// cumsum: one pass per [outer, n, inner] row of a contiguous copy. Its backward is the same
// scan run from the end, whose own backward is the forward scan again.
#include "core/ops/scan.h"

#include "core/autograd/node.h"
#include "core/error.h"

namespace minidl {

namespace {

// Running sum along `dim`, from the start or (reverse) from the end.
Tensor scan_sum(const Tensor& a, int64_t dim, bool reverse) {
  dim = wrap_dim("cumsum", dim, a.dim());
  Tensor x = a.detach().contiguous();
  const auto [outer, n, inner] = split_at_dim(x.shape(), dim);
  Tensor out = Tensor::empty(x.shape(), "cumsum");
  const float* in = x.data();  // [outer, n, inner]
  float* result = out.data();
  for (int64_t b = 0; b < outer; ++b) {
    for (int64_t c = 0; c < inner; ++c) {
      const int64_t row = b * n * inner + c;
      double total = 0.0;
      for (int64_t k = 0; k < n; ++k) {
        const int64_t i = row + (reverse ? n - 1 - k : k) * inner;
        total += in[i];
        result[i] = static_cast<float>(total);
      }
    }
  }
  return autograd::record("cumsum", {a}, out, [dim, reverse](const Tensor& g) {
    return std::vector<Tensor>{scan_sum(g, dim, !reverse)};
  });
}

}  // namespace

Tensor cumsum(const Tensor& a, int64_t dim) { return scan_sum(a, dim, false); }

}  // namespace minidl
