// nn::functional: layers and losses written with core ops (their gradients come from those
// ops); the fused losses are core/ops/loss.h's, brought in by nn/functional.h; batch_norm, a
// fused op of its own, is in batch_norm_op.cpp.
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

}  // namespace

Tensor dropout(const Tensor& input, float p, bool training, Generator& generator) {
  MINIDL_CHECK(p >= 0.0F && p <= 1.0F, "dropout: probability {} is outside [0, 1]", p);
  if (!training || p == 0.0F) return input;
  const float scale = p < 1.0F ? 1.0F / (1.0F - p) : 0.0F;
  Tensor mask = Tensor::empty(input.shape());  // each element kept (scaled) with probability 1-p
  float* values = mask.data();
  for (int64_t i = 0, end = mask.numel(); i < end; ++i)
    values[i] = generator.uniform() >= p ? scale : 0.0F;
  return mul(input, mask);
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
