// nn::LayerNorm and the fused `layer_norm` op. Legend: M rows (every leading dim), K values per
// row (the normalized dims). Forward keeps each row's mean and rstd = 1 / sqrt(var + eps);
// backward, with xhat = (x - mean) rstd and dxhat = g * weight:
//   dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))   (means over the row)
//   dweight = sum over rows of g xhat,  dbias = sum over rows of g.
#include "nn/layernorm.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/parallel.h"

namespace minidl::nn {

inline namespace functional {

Tensor layer_norm(const Tensor& input, const std::vector<int64_t>& normalized_shape,
                  const Tensor& weight, const Tensor& bias, float eps) {
  MINIDL_CHECK(input.defined(), "layer_norm: the input is an undefined tensor");
  MINIDL_CHECK(!normalized_shape.empty(), "layer_norm: normalized_shape is empty");
  const auto dims = static_cast<int64_t>(normalized_shape.size());
  const Shape& norm_shape = normalized_shape;
  bool fits = input.dim() >= dims;
  for (int64_t d = 0; fits && d < dims; ++d) fits = input.size(d - dims) == norm_shape[d];
  MINIDL_CHECK(fits, "layer_norm: input of shape {} does not end with normalized_shape {}",
               input.shape(), norm_shape);
  for (const Tensor& affine : {weight, bias}) {
    MINIDL_CHECK(!affine.defined() || affine.shape() == norm_shape,
                 "layer_norm: weight/bias of shape {}; expected normalized_shape {}",
                 affine.shape(), norm_shape);
  }
  MINIDL_CHECK(eps >= 0.0F, "layer_norm: eps {} is negative", eps);
  const int64_t width = numel_of(norm_shape);  // K
  MINIDL_CHECK(width > 0, "layer_norm: normalized_shape {} has no elements", norm_shape);
  const int64_t rows = input.numel() / width;  // M

  const Tensor x = input.detach().contiguous();                                 // [M, K]
  const Tensor w = weight.defined() ? weight.detach().contiguous() : Tensor();  // [K]
  const Tensor b = bias.defined() ? bias.detach().contiguous() : Tensor();      // [K]
  Tensor out = Tensor::empty(input.shape(), "layer_norm");                      // [M, K]
  Tensor stats = Tensor::empty({rows, 2});  // [M, 2] mean and rstd of each row
  const float* xs = x.data();
  const float* ws = w.defined() ? w.data() : nullptr;
  const float* bs = b.defined() ? b.data() : nullptr;
  float* ys = out.data();
  float* st = stats.data();
  parallel_for(0, rows, std::max<int64_t>(1, 4096 / width), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* row = xs + r * width;
      double sum = 0.0;
      for (int64_t k = 0; k < width; ++k) sum += row[k];
      const auto mean = static_cast<float>(sum / static_cast<double>(width));
      double squares = 0.0;
      for (int64_t k = 0; k < width; ++k) squares += double(row[k] - mean) * (row[k] - mean);
      const auto rstd =
          static_cast<float>(1.0 / std::sqrt(squares / static_cast<double>(width) + eps));
      float* y = ys + r * width;
      for (int64_t k = 0; k < width; ++k) {
        const float xhat = (row[k] - mean) * rstd;
        y[k] = xhat * (ws != nullptr ? ws[k] : 1.0F) + (bs != nullptr ? bs[k] : 0.0F);
      }
      st[2 * r] = mean;
      st[2 * r + 1] = rstd;
    }
  });

  std::vector<Tensor> inputs{input};
  if (weight.defined()) inputs.push_back(weight);
  if (bias.defined()) inputs.push_back(bias);
  return autograd::record(
      "layer_norm", inputs, out,
      [saved_x = autograd::SavedTensor(x),
       saved_w = w.defined() ? autograd::SavedTensor(w) : autograd::SavedTensor(), stats, rows,
       width, has_bias = bias.defined(), input_shape = input.shape(),
       norm_shape](const Tensor& grad_output) {
        const Tensor g = grad_output.detach().contiguous();                 // [M, K]
        const Tensor xv = saved_x.unpack();                                 // [M, K]
        const Tensor wv = saved_w.defined() ? saved_w.unpack() : Tensor();  // [K] or undefined
        Tensor grad_input = Tensor::empty(input_shape);                     // [M, K]
        Tensor grad_weight = zeros(norm_shape);                             // [K]
        Tensor grad_bias = zeros(norm_shape);                               // [K]
        const float* gs = g.data();
        const float* x_values = xv.data();
        const float* w_values = wv.defined() ? wv.data() : nullptr;
        const float* stat_values = stats.data();
        float* dx = grad_input.data();
        float* dw = grad_weight.data();
        float* db = grad_bias.data();
        for (int64_t r = 0; r < rows; ++r) {
          const float* gr = gs + r * width;
          const float* xr = x_values + r * width;
          const float mean = stat_values[2 * r];
          const float rstd = stat_values[2 * r + 1];
          double dxhat_sum = 0.0;
          double dxhat_xhat_sum = 0.0;
          for (int64_t k = 0; k < width; ++k) {
            const float xhat = (xr[k] - mean) * rstd;
            const float dxhat = gr[k] * (w_values != nullptr ? w_values[k] : 1.0F);
            dxhat_sum += dxhat;
            dxhat_xhat_sum += double(dxhat) * xhat;
            dw[k] += gr[k] * xhat;
            db[k] += gr[k];
          }
          const auto dxhat_mean = static_cast<float>(dxhat_sum / static_cast<double>(width));
          const auto dxhat_xhat_mean =
              static_cast<float>(dxhat_xhat_sum / static_cast<double>(width));
          float* dr = dx + r * width;
          for (int64_t k = 0; k < width; ++k) {
            const float xhat = (xr[k] - mean) * rstd;
            const float dxhat = gr[k] * (w_values != nullptr ? w_values[k] : 1.0F);
            dr[k] = rstd * (dxhat - dxhat_mean - xhat * dxhat_xhat_mean);
          }
        }
        std::vector<Tensor> grads{grad_input};
        if (wv.defined()) grads.push_back(grad_weight);
        if (has_bias) grads.push_back(grad_bias);
        return grads;
      });
}

}  // namespace functional

LayerNorm::LayerNorm(const LayerNormOptions& options) : options_(options) {
  check(!options.normalized_shape.empty(), "normalized_shape must not be empty");
  for (int64_t size : options.normalized_shape) {
    check(size > 0, "normalized_shape must be positive, got {}", size);
  }
  check(options.eps >= 0.0F, "eps must not be negative, got {}", options.eps);
  if (options.elementwise_affine) {
    const Shape& shape = options.normalized_shape;
    with_provenance([&] {
      register_parameter("weight", ones(shape));
      register_parameter("bias", zeros(shape));
    });
  }
}

Tensor LayerNorm::forward(const Tensor& input) {
  check(input.defined(), "the input is an undefined tensor");
  return with_provenance(
      [&] { return layer_norm(input, options_.normalized_shape, weight(), bias(), options_.eps); });
}

std::string LayerNorm::describe() const {
  return fmt::format("LayerNorm(normalized_shape=[{}], eps={}{})",
                     fmt::join(options_.normalized_shape, ", "), options_.eps,
                     options_.elementwise_affine ? "" : ", elementwise_affine=false");
}

}  // namespace minidl::nn
