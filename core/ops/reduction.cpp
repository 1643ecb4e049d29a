// Reductions. One strided kernel walks the input once and folds each element into its output
// slot (reduced dims get output stride 0); sums accumulate in double.
#include "core/ops/reduction.h"

#include <cmath>
#include <limits>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/kernels/strided.h"
#include "core/ops/arithmetic.h"
#include "core/ops/indexing.h"
#include "core/ops/map.h"
#include "core/ops/math.h"
#include "core/ops/view.h"

namespace minidl {

namespace {

// Shape of `a` with the reduced dims set to 1.
Shape keepdim_shape(const Shape& shape, const std::vector<int64_t>& dims) {
  Shape kept = shape;
  for (int64_t d : dims) kept[static_cast<size_t>(d)] = 1;
  return kept;
}

// Shape of `a` with the reduced dims removed.
Shape dropped_shape(const Shape& shape, const std::vector<int64_t>& dims) {
  Shape dropped;
  size_t next = 0;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (next < dims.size() && dims[next] == static_cast<int64_t>(d)) {
      ++next;
    } else {
      dropped.push_back(shape[d]);
    }
  }
  return dropped;
}

// Block sizes [outer, middle, inner] of a contiguous `a` whose reduced `dims` are a run of its
// leading dims and a run of its trailing dims (either may be empty): BatchNorm's {0, 2, 3} of
// [N, C, H, W], a bias gradient's sum over the batch, a row sum. Output m then folds the `outer`
// contiguous blocks of `inner` floats at (o * middle + m) * inner. False for other patterns.
struct Blocks {
  int64_t outer = 1, middle = 1, inner = 1;
};
bool reduces_outer_and_inner_blocks(const Tensor& a, const std::vector<int64_t>& dims,
                                    Blocks& blocks) {
  if (!a.is_contiguous() || dims.empty()) return false;
  size_t leading = 0;
  while (leading < dims.size() && dims[leading] == static_cast<int64_t>(leading)) ++leading;
  // A reduction over every dim is one inner block (folded with independent accumulators), not
  // `numel` outer blocks of one float each (a serial chain of adds).
  if (leading == static_cast<size_t>(a.dim())) leading = 0;
  const int64_t first_trailing = a.dim() - static_cast<int64_t>(dims.size() - leading);
  for (size_t i = leading; i < dims.size(); ++i) {
    if (dims[i] != first_trailing + static_cast<int64_t>(i - leading)) return false;
  }
  blocks = {};
  for (int64_t d = 0; d < a.dim(); ++d) {
    const bool is_leading = d < static_cast<int64_t>(leading);
    int64_t& block = is_leading ? blocks.outer : d < first_trailing ? blocks.middle : blocks.inner;
    block *= a.size(d);
  }
  return true;
}

// Folds a contiguous block with four independent accumulators (no serial dependency chain),
// then merges the four partial results with `merge`.
template <class Acc, class Combine, class Merge>
Acc fold_block(const float* x, int64_t n, Acc init, Combine combine, Merge merge) {
  Acc lanes[4] = {init, init, init, init};
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (int64_t k = 0; k < 4; ++k) lanes[k] = combine(lanes[k], x[i + k]);
  }
  for (; i < n; ++i) lanes[0] = combine(lanes[0], x[i]);
  Acc total = lanes[0];
  for (int64_t k = 1; k < 4; ++k) total = merge(total, lanes[k]);
  return total;
}

// Folds every element of `a` into the keepdim-shaped output: acc = combine(acc, x); partial
// accumulators of one output are joined with merge(acc, acc).
template <class Acc, class Combine, class Merge>
Tensor reduce_keepdim(const Tensor& a, const std::vector<int64_t>& dims, Acc init, Combine combine,
                      Merge merge) {
  Shape kept = keepdim_shape(a.shape(), dims);
  if (Blocks b; reduces_outer_and_inner_blocks(a, dims, b)) {
    std::vector<Acc> acc(static_cast<size_t>(b.middle), init);  // [middle]
    const float* x = a.data();                                  // [outer, middle, inner]
    for (int64_t o = 0; o < b.outer; ++o) {
      const float* slab = x + o * b.middle * b.inner;  // [middle, inner]
      for (int64_t m = 0; m < b.middle; ++m) {
        auto& slot = acc[static_cast<size_t>(m)];
        slot = b.inner == 1
                   ? combine(slot, slab[m])
                   : merge(slot, fold_block(slab + m * b.inner, b.inner, init, combine, merge));
      }
    }
    Tensor out = Tensor::empty(kept);
    for (size_t i = 0; i < acc.size(); ++i) out.data()[i] = static_cast<float>(acc[i]);
    return out;
  }
  Strides out_strides = contiguous_strides(kept);
  for (int64_t d : dims) out_strides[static_cast<size_t>(d)] = 0;
  std::vector<Acc> acc(static_cast<size_t>(numel_of(kept)), init);
  const float* x = a.data();
  kernels::for_each_element<2>(a.shape(), {out_strides, a.strides()}, {0, 0},
                               [&](int64_t o, int64_t i) {
                                 auto slot = static_cast<size_t>(o);
                                 acc[slot] = combine(acc[slot], x[i]);
                               });
  Tensor out = Tensor::empty(kept);
  for (size_t i = 0; i < acc.size(); ++i) out.data()[i] = static_cast<float>(acc[i]);
  return out;
}

// The keepdim result viewed without the reduced dims (no copy, not recorded).
Tensor drop_dims(const Tensor& kept, const Shape& input_shape, const std::vector<int64_t>& dims,
                 bool keepdim) {
  if (keepdim) return kept;
  Shape shape = dropped_shape(input_shape, dims);
  return Tensor::view_of(kept.storage(), kept.offset(), shape, contiguous_strides(shape));
}

int64_t reduced_count(const Shape& shape, const std::vector<int64_t>& dims) {
  int64_t count = 1;
  for (int64_t d : dims) count *= shape[static_cast<size_t>(d)];
  return count;
}

// The larger of two values, NaN winning (PyTorch's max propagates NaN; std::fmax drops it).
float nan_max(float left, float right) {
  return (right > left || std::isnan(right)) && !std::isnan(left) ? right : left;
}

// max (sign +1) or min (sign -1) over dims; the gradient goes to the extreme elements,
// split equally between ties (a NaN extreme is the NaN elements').
Tensor extreme(std::string_view name, const Tensor& a, const std::vector<int64_t>& requested,
               bool keepdim, float sign) {
  std::vector<int64_t> dims = reduction_dims(name, requested, a.dim());
  // As in PyTorch: an empty reduction has no extreme; an empty tensor reduced over non-empty
  // dims gives an empty result.
  MINIDL_CHECK(
      reduced_count(a.shape(), dims) > 0,
      "{}: cannot reduce an empty tensor of shape {} over dims {} (no elements to compare)", name,
      a.shape(), dims);
  Tensor kept = reduce_keepdim<float>(
      a, dims, -std::numeric_limits<float>::infinity(),
      [sign](float acc, float x) { return nan_max(acc, sign * x); }, nan_max);
  if (sign < 0) kept = detail::map(kept, [](float x) { return -x; });
  Tensor out = drop_dims(kept, a.shape(), dims, keepdim);
  return autograd::record(name, {a}, out,
                          [name, saved = autograd::SavedTensor(a),
                           extremes = autograd::SavedTensor(kept), dims](const Tensor& g) {
                            const Tensor& extreme_values = extremes.unpack();
                            Tensor mask = detail::map2(
                                name, saved.unpack(), extreme_values, [](float x, float m) {
                                  const bool both_nan = std::isnan(x) && std::isnan(m);
                                  return x == m || both_nan ? 1.0F : 0.0F;
                                });
                            Tensor ties = sum(mask, dims, true);
                            Tensor g_kept = g.reshape(extreme_values.shape());
                            return std::vector<Tensor>{mul(mask, div(g_kept, ties))};
                          });
}

// Index of the largest (sign +1) or smallest (sign -1) element along `dim`: the first on ties,
// the first NaN when there is one (as in PyTorch). Not differentiable.
Tensor arg_extreme(std::string_view name, const Tensor& a, int64_t dim, bool keepdim, float sign) {
  dim = wrap_dim(name, dim, a.dim());
  if (a.dim() == 0) return Tensor::empty({}).fill_(0.0F);
  Tensor x = a.detach().contiguous();
  const auto [outer, n, inner] = split_at_dim(x.shape(), dim);
  MINIDL_CHECK(n > 0, "{}: dim {} of shape {} is empty", name, dim, a.shape());
  Shape kept = keepdim_shape(x.shape(), {dim});
  Tensor out = Tensor::empty(kept);
  const float* in = x.data();  // [outer, n, inner]
  for (int64_t b = 0; b < outer; ++b) {
    for (int64_t c = 0; c < inner; ++c) {
      const float* row = in + b * n * inner + c;
      int64_t best = 0;
      for (int64_t i = 1; i < n; ++i) {
        const float best_value = sign * row[best * inner];
        const float value = sign * row[i * inner];
        if (!std::isnan(best_value) && (value > best_value || std::isnan(value))) best = i;
      }
      out.data()[b * inner + c] = static_cast<float>(best);
    }
  }
  return drop_dims(out, a.shape(), {dim}, keepdim);
}

// The flat index of the extreme element of all of `a`.
Tensor arg_extreme(std::string_view name, const Tensor& a, float sign) {
  MINIDL_CHECK(a.numel() > 0, "{}: cannot take the {} of an empty tensor of shape {}", name, name,
               a.shape());
  return arg_extreme(name, a.detach().reshape({a.numel()}), 0, false, sign);
}

// (values, indices) along `dim`: the values gathered at arg_extreme's indices, so the gradient
// reaches the returned index only.
std::tuple<Tensor, Tensor> extreme_along(std::string_view name, const Tensor& a, int64_t dim,
                                         bool keepdim, float sign) {
  dim = wrap_dim(name, dim, a.dim());
  if (a.dim() == 0) return {a.reshape({}), Tensor::empty({}).fill_(0.0F)};
  Tensor indices = arg_extreme(sign > 0 ? "max" : "min", a, dim, true, sign);
  Tensor values = gather(a, dim, indices);
  if (keepdim) return {values, indices};
  return {values.squeeze(dim), indices.squeeze(dim)};
}

}  // namespace

Tensor sum(const Tensor& a) { return sum(a, {}, false); }

Tensor sum(const Tensor& a, const std::vector<int64_t>& requested, bool keepdim) {
  std::vector<int64_t> dims = reduction_dims("sum", requested, a.dim());
  Tensor kept = reduce_keepdim<double>(
      a, dims, 0.0, [](double acc, float x) { return acc + x; },
      [](double left, double right) { return left + right; });
  Tensor out = drop_dims(kept, a.shape(), dims, keepdim);
  return autograd::record(
      "sum", {a}, out, [shape = a.shape(), kept = kept.shape()](const Tensor& g) {
        return std::vector<Tensor>{g.reshape(kept).expand(shape)};  // every input got weight 1
      });
}

Tensor mean(const Tensor& a) { return mean(a, {}, false); }

Tensor mean(const Tensor& a, const std::vector<int64_t>& requested, bool keepdim) {
  std::vector<int64_t> dims = reduction_dims("mean", requested, a.dim());
  int64_t count = reduced_count(a.shape(), dims);
  MINIDL_CHECK(count > 0, "mean: cannot average an empty tensor of shape {}", a.shape());
  return div(sum(a, dims, keepdim), static_cast<float>(count));
}

Tensor var(const Tensor& a, const std::vector<int64_t>& requested, bool keepdim,
           int64_t correction) {
  std::vector<int64_t> dims = reduction_dims("var", requested, a.dim());
  int64_t count = reduced_count(a.shape(), dims);
  MINIDL_CHECK(count - correction > 0,
               "var: {} elements with correction {} leave no degrees of freedom (shape {})", count,
               correction, a.shape());
  Tensor deviation = sub(a, mean(a, dims, true));
  return div(sum(mul(deviation, deviation), dims, keepdim), static_cast<float>(count - correction));
}

Tensor std(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, int64_t correction) {
  return sqrt(var(a, dims, keepdim, correction));
}

Tensor max(const Tensor& a) { return max(a, {}, false); }
Tensor max(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  return extreme("max", a, dims, keepdim, 1.0F);
}
Tensor min(const Tensor& a) { return min(a, {}, false); }
Tensor min(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  return extreme("min", a, dims, keepdim, -1.0F);
}

Tensor argmax(const Tensor& a) { return arg_extreme("argmax", a, 1.0F); }
Tensor argmax(const Tensor& a, int64_t dim, bool keepdim) {
  return arg_extreme("argmax", a, dim, keepdim, 1.0F);
}
Tensor argmin(const Tensor& a) { return arg_extreme("argmin", a, -1.0F); }
Tensor argmin(const Tensor& a, int64_t dim, bool keepdim) {
  return arg_extreme("argmin", a, dim, keepdim, -1.0F);
}

namespace detail {

std::tuple<Tensor, Tensor> max_along(const Tensor& a, int64_t dim, bool keepdim) {
  return extreme_along("max", a, dim, keepdim, 1.0F);
}
std::tuple<Tensor, Tensor> min_along(const Tensor& a, int64_t dim, bool keepdim) {
  return extreme_along("min", a, dim, keepdim, -1.0F);
}

}  // namespace detail

Tensor sum_to(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  MINIDL_CHECK(grad.dim() >= static_cast<int64_t>(shape.size()),
               "sum_to: cannot reduce shape {} to {}", grad.shape(), shape);
  const size_t lead = grad.shape().size() - shape.size();
  std::vector<int64_t> dims;
  for (size_t d = 0; d < grad.shape().size(); ++d) {
    if (d < lead || (shape[d - lead] == 1 && grad.shape()[d] != 1)) {
      dims.push_back(static_cast<int64_t>(d));
    }
  }
  Tensor summed = dims.empty() ? grad : sum(grad, dims, true);
  return summed.reshape(shape);
}

}  // namespace minidl
