// linear: one GEMM with a transpose flag forward, the bias added in the same pass over the
// output, and a backward whose weight gradient comes out of its GEMM already in the weight's
// [out, in] layout (no transposed copy) — rather than matmul + transpose + add.
#include "core/ops/linear.h"

#include <vector>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/kernels/blas.h"

namespace minidl {

using autograd::SavedTensor;

namespace {

// The sums of the columns of a row-major [rows, columns] matrix, accumulated in double row by
// row (the bias gradient: one pass, no reduction machinery).
Tensor column_sums(const float* values, int64_t rows, int64_t columns) {
  std::vector<double> sums(static_cast<size_t>(columns), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = values + r * columns;
    for (int64_t c = 0; c < columns; ++c) sums[static_cast<size_t>(c)] += row[c];
  }
  Tensor out = Tensor::empty({columns}, "linear backward");
  float* o = out.data();
  for (int64_t c = 0; c < columns; ++c) o[c] = static_cast<float>(sums[static_cast<size_t>(c)]);
  return out;
}

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  MINIDL_CHECK(weight.dim() == 2, "linear: weight must be 2-D [out, in], got {}", weight.shape());
  MINIDL_CHECK(input.dim() >= 1 && input.size(-1) == weight.size(1),
               "linear: input of shape {} does not fit weight of shape {}: its last dim must be {}",
               input.shape(), weight.shape(), weight.size(1));
  const int64_t in = weight.size(1);
  const int64_t out_features = weight.size(0);
  if (bias.defined()) {
    MINIDL_CHECK(bias.shape() == Shape{out_features},
                 "linear: bias of shape {} for weight of shape {}; expected [{}]", bias.shape(),
                 weight.shape(), out_features);
  }
  Shape out_shape = input.shape();
  out_shape.back() = out_features;
  Tensor out = Tensor::empty(out_shape, "linear");                               // [R, out]
  const int64_t rows = numel_of(Shape(out_shape.begin(), out_shape.end() - 1));  // leading dims: R
  Tensor x = input.detach().contiguous();                                        // [R, in]
  Tensor w = weight.detach().contiguous();                                       // [out, in]
  float* y = out.data();
  // out [R, out] = x [R, in] @ w^T [in, out] (+ bias [out] on every row)
  kernels::sgemm(false, true, rows, out_features, in, 1.0F, x.data(), in, w.data(), in, 0.0F, y,
                 out_features);
  if (bias.defined()) {
    Tensor b = bias.detach().contiguous();
    const float* bias_values = b.data();
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t o = 0; o < out_features; ++o) y[r * out_features + o] += bias_values[o];
    }
  }
  const bool need_input = input.requires_grad();
  const bool need_weight = weight.requires_grad();
  const bool need_bias = bias.defined() && bias.requires_grad();
  std::vector<Tensor> inputs{input, weight};
  if (bias.defined()) inputs.push_back(bias);
  return autograd::record(
      "linear", inputs, out,
      [saved_x = need_weight ? SavedTensor(x) : SavedTensor(),
       saved_w = need_input ? SavedTensor(w) : SavedTensor(), rows, in, out_features, need_bias,
       has_bias = bias.defined(), input_shape = input.shape(),
       weight_shape = weight.shape()](const Tensor& grad) {
        Tensor g = grad.contiguous();  // [R, out]
        Tensor grad_input;
        Tensor grad_weight;
        Tensor grad_bias;
        if (saved_w.defined()) {
          // grad_input [R, in] = g [R, out] @ w [out, in]
          grad_input = Tensor::empty(input_shape);
          kernels::sgemm(false, false, rows, in, out_features, 1.0F, g.data(), out_features,
                         saved_w.unpack().data(), in, 0.0F, grad_input.data(), in);
        }
        if (saved_x.defined()) {
          // grad_weight [out, in] = g^T [out, R] @ x [R, in]
          grad_weight = Tensor::empty(weight_shape);
          kernels::sgemm(true, false, out_features, in, rows, 1.0F, g.data(), out_features,
                         saved_x.unpack().data(), in, 0.0F, grad_weight.data(), in);
        }
        if (need_bias) grad_bias = column_sums(g.data(), rows, out_features);  // [out]
        std::vector<Tensor> grads{grad_input, grad_weight};
        if (has_bias) grads.push_back(grad_bias);
        return grads;
      });
}

}  // namespace minidl
