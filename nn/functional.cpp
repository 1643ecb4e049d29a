// nn::functional: layers and losses written with core ops (their gradients come from those
// ops); the fused losses are core/ops/loss.h's, brought in by nn/functional.h.
#include "nn/functional.h"

#include <algorithm>
#include <string_view>

#include "core/error.h"
#include "core/grad_mode.h"
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
    const int64_t count = input.numel() / std::max<int64_t>(channels, 1);  // values per channel
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

}  // namespace minidl::nn::functional
