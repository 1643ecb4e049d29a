// Softmax family. The forward kernel walks a contiguous tensor as [outer, n, inner] with the
// softmax dim in the middle (n), subtracting the max before exp so large logits cannot overflow.
// Backward, with y = softmax(x) and g the incoming gradient:
//   softmax:      dx = y * (g - sum(g * y))
//   log_softmax:  dx = g - exp(y_log) * sum(g)
#include "core/ops/softmax.h"

#include <algorithm>
#include <cmath>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/kernels/fast_math.h"
#include "core/ops/arithmetic.h"
#include "core/ops/math.h"
#include "core/ops/reduction.h"

namespace minidl {

namespace {

// out = softmax or log_softmax of x along `dim`; x contiguous.
Tensor softmax_forward(const Tensor& x, int64_t dim, bool log_space) {
  const auto [outer, n, inner] = split_at_dim(x.shape(), dim);  // a 0-d tensor: one row of 1
  Tensor out = Tensor::empty(x.shape());
  const float* in = x.data();  // [outer, n, inner]
  float* o = out.data();       // [outer, n, inner]
  for (int64_t b = 0; b < outer; ++b) {
    for (int64_t c = 0; c < inner; ++c) {
      const int64_t base = b * n * inner + c;
      float max_value = -INFINITY;
      for (int64_t i = 0; i < n; ++i) max_value = std::max(max_value, in[base + i * inner]);
      // the exponentials go to the output first (a loop that vectorises), then their sum
      for (int64_t i = 0; i < n; ++i) {
        o[base + i * inner] = kernels::fast_exp(in[base + i * inner] - max_value);
      }
      double total = 0.0;
      for (int64_t i = 0; i < n; ++i) total += o[base + i * inner];
      if (log_space) {
        const auto log_total = static_cast<float>(std::log(total));
        for (int64_t i = 0; i < n; ++i)
          o[base + i * inner] = in[base + i * inner] - max_value - log_total;
      } else {
        const auto scale = static_cast<float>(1.0 / total);
        for (int64_t i = 0; i < n; ++i) o[base + i * inner] *= scale;
      }
    }
  }
  return out;
}

}  // namespace

Tensor softmax(const Tensor& a, int64_t dim) {
  dim = wrap_dim("softmax", dim, a.dim());
  Tensor y = softmax_forward(a.detach().contiguous(), dim, false);
  return autograd::record(
      "softmax", {a}, y, [saved = autograd::SavedTensor(y), dim](const Tensor& g) {
        const Tensor& out = saved.unpack();
        return std::vector<Tensor>{mul(out, sub(g, sum(mul(g, out), {dim}, true)))};
      });
}

Tensor log_softmax(const Tensor& a, int64_t dim) {
  dim = wrap_dim("log_softmax", dim, a.dim());
  Tensor y = softmax_forward(a.detach().contiguous(), dim, true);
  return autograd::record(
      "log_softmax", {a}, y, [saved = autograd::SavedTensor(y), dim](const Tensor& g) {
        return std::vector<Tensor>{sub(g, mul(exp(saved.unpack()), sum(g, {dim}, true)))};
      });
}

}  // namespace minidl
