// nn::functional: layers and losses written with core ops (their gradients come from those
// ops), the fused linear op (one GEMM each way, see linear), and thin wrappers over the fused
// loss primitives of core/ops/loss.h.
#include "nn/functional.h"

#include <algorithm>
#include <string_view>

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/kernels/blas.h"
#include "core/ops/arithmetic.h"
#include "core/ops/math.h"
#include "core/ops/reduction.h"
#include "core/ops/view.h"

namespace minidl::nn::functional {

namespace {

// A loss's input and target must agree exactly (no silent broadcasting of [N, 1] with [N]).
void check_same_shape(std::string_view op, const Tensor& input, const Tensor& target) {
  MINIDL_CHECK(input.shape() == target.shape(),
               "{}: input of shape {} and target of shape {} must have the same shape", op,
               input.shape(), target.shape());
}

// The shape [1, C, 1, ...] that broadcasts a per-channel vector over input [N, C, *].
Shape channel_shape(const Tensor& input) {
  Shape shape(static_cast<size_t>(input.dim()), 1);
  shape[1] = input.size(1);
  return shape;
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
  // One fused op rather than matmul + transpose + add: one GEMM with a transpose flag, the bias
  // added in the same pass over the output, and a backward whose weight gradient comes out of
  // its GEMM already in the weight's [out, in] layout (no transposed copy).
  const int64_t rows = input.numel() / std::max<int64_t>(in, 1);  // every leading dim: R
  Tensor x = input.detach().contiguous();                         // [R, in]
  Tensor w = weight.detach().contiguous();                        // [out, in]
  Shape out_shape = input.shape();
  out_shape.back() = out_features;
  Tensor out = Tensor::empty(out_shape);  // [R, out]
  float* y = out.data();
  // out [R, out] = x [R, in] @ w^T [in, out] (+ bias [out] on every row)
  kernels::sgemm(false, true, rows, out_features, in, 1.0F, x.data(), in, w.data(), in, 0.0F, y,
                 out_features);
  if (bias.defined()) {
    Tensor b = bias.detach().contiguous();
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t o = 0; o < out_features; ++o) y[r * out_features + o] += b.data()[o];
    }
  }
  const bool need_input = input.requires_grad();
  const bool need_weight = weight.requires_grad();
  const bool need_bias = bias.defined() && bias.requires_grad();
  std::vector<Tensor> inputs{input, weight};
  if (bias.defined()) inputs.push_back(bias);
  return autograd::record(
      "linear", inputs, out,
      [x = need_weight ? x : Tensor(), w = need_input ? w : Tensor(), rows, in, out_features,
       need_bias, has_bias = bias.defined(), input_shape = input.shape(),
       weight_shape = weight.shape()](const Tensor& grad) {
        Tensor g = grad.contiguous();  // [R, out]
        Tensor grad_input;
        Tensor grad_weight;
        Tensor grad_bias;
        if (w.defined()) {
          // grad_input [R, in] = g [R, out] @ w [out, in]
          grad_input = Tensor::empty(input_shape);
          kernels::sgemm(false, false, rows, in, out_features, 1.0F, g.data(), out_features,
                         w.data(), in, 0.0F, grad_input.data(), in);
        }
        if (x.defined()) {
          // grad_weight [out, in] = g^T [out, R] @ x [R, in]
          grad_weight = Tensor::empty(weight_shape);
          kernels::sgemm(true, false, out_features, in, rows, 1.0F, g.data(), out_features,
                         x.data(), in, 0.0F, grad_weight.data(), in);
        }
        if (need_bias) grad_bias = sum(g.reshape({rows, out_features}), {0});  // [out]
        std::vector<Tensor> grads{grad_input, grad_weight};
        if (has_bias) grads.push_back(grad_bias);
        return grads;
      });
}

Tensor dropout(const Tensor& input, float p, bool training, Generator& generator) {
  MINIDL_CHECK(p >= 0.0F && p <= 1.0F, "dropout: probability {} is outside [0, 1]", p);
  if (!training || p == 0.0F) return input;
  const float scale = p < 1.0F ? 1.0F / (1.0F - p) : 0.0F;
  Tensor mask = Tensor::empty(input.shape());  // each element kept (scaled) with probability 1-p
  float* values = mask.data();
  for (int64_t i = 0; i < mask.numel(); ++i) values[i] = generator.uniform() >= p ? scale : 0.0F;
  return mul(input, mask);
}

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, float momentum,
                  float eps) {
  MINIDL_CHECK(input.dim() >= 2, "batch_norm: input must be [N, C, *], got shape {}",
               input.shape());
  const int64_t channels = input.size(1);
  for (const Tensor& vector : {running_mean, running_var, weight, bias}) {
    MINIDL_CHECK(!vector.defined() || vector.shape() == Shape{channels},
                 "batch_norm: per-channel tensor of shape {} for input of shape {}; expected [{}]",
                 vector.shape(), input.shape(), channels);
  }
  const Shape per_channel = channel_shape(input);
  std::vector<int64_t> dims{0};  // every dim but the channels
  for (int64_t d = 2; d < input.dim(); ++d) dims.push_back(d);
  Tensor mean_value;
  Tensor var_value;
  if (training) {
    const int64_t count = input.numel() / channels;
    MINIDL_CHECK(count > 1,
                 "batch_norm: training needs more than one value per channel, got input of "
                 "shape {}",
                 input.shape());
    mean_value = mean(input, dims, true);   // [1, C, 1, ...]
    var_value = var(input, dims, true, 0);  // biased, as used for normalizing
    if (running_mean.defined() && running_var.defined()) {
      NoGradGuard no_grad;
      const float unbias = static_cast<float>(count) / static_cast<float>(count - 1);
      running_mean.mul_(1.0F - momentum).add_(mean_value.detach().reshape({channels}), momentum);
      running_var.mul_(1.0F - momentum)
          .add_(var_value.detach().reshape({channels}), momentum * unbias);
    }
  } else {
    MINIDL_CHECK(running_mean.defined() && running_var.defined(),
                 "batch_norm: evaluation mode needs running_mean and running_var");
    mean_value = running_mean.reshape(per_channel);
    var_value = running_var.reshape(per_channel);
  }
  Tensor out = div(sub(input, mean_value), sqrt(add(var_value, eps)));
  if (weight.defined()) out = mul(out, weight.reshape(per_channel));
  if (bias.defined()) out = add(out, bias.reshape(per_channel));
  return out;
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const LossOptions& options) {
  check_same_shape("mse_loss", input, target);
  Tensor difference = sub(input, target);
  return apply_reduction(mul(difference, difference), options.reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const LossOptions& options) {
  check_same_shape("l1_loss", input, target);
  return apply_reduction(abs(sub(input, target)), options.reduction);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets, const LossOptions& options) {
  return minidl::cross_entropy(logits, targets, options.reduction);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, const LossOptions& options) {
  return minidl::nll_loss(log_probs, targets, options.reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        const LossOptions& options) {
  return minidl::binary_cross_entropy_with_logits(logits, targets, options.reduction);
}

}  // namespace minidl::nn::functional
