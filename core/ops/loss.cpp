// Loss primitives. Each records one node producing per-sample (or per-element) losses; the
// reduction is then an ordinary differentiable sum or mean on top.
//
// Legend: N samples, C classes. Cross-entropy with p = softmax(x):
//   loss[n]       = logsumexp(x[n]) - x[n, t[n]]
//   dloss/dx[n,c] = p[n, c] - [c == t[n]]        (fused: never forms log p explicitly)
#include "core/ops/loss.h"

#include <cmath>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "core/ops/map.h"
#include "core/ops/reduction.h"

namespace minidl {

namespace kernels {
namespace {

// losses [N] = logsumexp(logits[n]) - logits[n, targets[n]]; probs [N, C] = softmax(logits[n]),
// kept for the backward. logits [N, C], targets [N].
void cross_entropy_forward(float* losses, float* probs, const float* logits, const int64_t* targets,
                           int64_t N, int64_t C) {
  for (int64_t n = 0; n < N; ++n) {
    const float* row = logits + n * C;  // [C]
    float* prob_row = probs + n * C;    // [C]
    float max_value = row[0];
    for (int64_t c = 1; c < C; ++c) max_value = std::fmax(max_value, row[c]);
    double total = 0.0;
    for (int64_t c = 0; c < C; ++c) {
      prob_row[c] = std::exp(row[c] - max_value);
      total += prob_row[c];
    }
    const auto scale = static_cast<float>(1.0 / total);
    for (int64_t c = 0; c < C; ++c) prob_row[c] *= scale;
    const double log_sum_exp = static_cast<double>(max_value) + std::log(total);
    losses[n] = static_cast<float>(log_sum_exp - static_cast<double>(row[targets[n]]));
  }
}

// grad_logits [N, C] += (probs [N, C] - one_hot(targets [N])) * grad_losses [N].
void cross_entropy_backward(float* grad_logits, const float* grad_losses, const float* probs,
                            const int64_t* targets, int64_t N, int64_t C) {
  for (int64_t n = 0; n < N; ++n) {
    const float g = grad_losses[n];
    const float* prob_row = probs + n * C;  // [C]
    float* grad_row = grad_logits + n * C;  // [C]
    for (int64_t c = 0; c < C; ++c) grad_row[c] += prob_row[c] * g;
    grad_row[targets[n]] -= g;
  }
}

}  // namespace
}  // namespace kernels

Tensor apply_reduction(const Tensor& losses, Reduction reduction) {
  switch (reduction) {
    case Reduction::None:
      return losses;
    case Reduction::Sum:
      return sum(losses);
    case Reduction::Mean:
      return mean(losses);
  }
  throw Error("apply_reduction: unknown reduction");
}

std::vector<int64_t> class_targets(std::string_view op, const Tensor& scores,
                                   const Tensor& targets) {
  MINIDL_CHECK(scores.dim() == 2 && scores.size(0) > 0 && scores.size(1) > 0,
               "{}: expected scores of shape [N, C] with N, C > 0, got {}", op, scores.shape());
  const int64_t N = scores.size(0);
  const int64_t C = scores.size(1);
  MINIDL_CHECK(targets.shape() == Shape{N},
               "{}: targets of shape {} do not fit scores of shape {}; expected class indices of "
               "shape [{}]",
               op, targets.shape(), scores.shape(), N);
  std::vector<float> values = targets.to_vector();
  std::vector<int64_t> classes(values.size());
  for (size_t n = 0; n < values.size(); ++n) {
    const float value = values[n];
    const FloatIndex checked = float_index(value, C);
    MINIDL_CHECK(checked.whole, "{}: target {} at position {} is not a whole number (class index)",
                 op, value, n);
    MINIDL_CHECK(checked.in_range,
                 "{}: target {} at position {} is out of range for {} classes (valid: 0 to {})", op,
                 value, n, C, C - 1);
    classes[n] = checked.index;
  }
  return classes;
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets, Reduction reduction) {
  std::vector<int64_t> classes = class_targets("cross_entropy", logits, targets);
  const int64_t N = logits.size(0);
  const int64_t C = logits.size(1);
  Tensor x = logits.detach().contiguous();  // [N, C]
  Tensor losses = Tensor::empty({N});       // [N]
  Tensor probs = Tensor::empty({N, C});     // [N, C]
  kernels::cross_entropy_forward(losses.data(), probs.data(), x.data(), classes.data(), N, C);
  losses =
      autograd::record("cross_entropy", {logits}, losses,
                       [probs, classes = std::move(classes), N, C](const Tensor& grad) {
                         Tensor grad_losses = grad.contiguous();  // [N]
                         Tensor grad_logits = zeros({N, C});      // [N, C]
                         kernels::cross_entropy_backward(grad_logits.data(), grad_losses.data(),
                                                         probs.data(), classes.data(), N, C);
                         return std::vector<Tensor>{grad_logits};
                       });
  return apply_reduction(losses, reduction);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, Reduction reduction) {
  std::vector<int64_t> classes = class_targets("nll_loss", log_probs, targets);
  const int64_t N = log_probs.size(0);
  const int64_t C = log_probs.size(1);
  Tensor x = log_probs.detach();
  Tensor losses = Tensor::empty({N});  // losses [N] = -log_probs[n, t[n]]
  for (int64_t n = 0; n < N; ++n) {
    losses.data()[n] = -x.at({n, classes[static_cast<size_t>(n)]});
  }
  losses = autograd::record(
      "nll_loss", {log_probs}, losses, [classes = std::move(classes), N, C](const Tensor& grad) {
        Tensor grad_losses = grad.contiguous();  // [N]
        Tensor grad_input = zeros({N, C});       // [N, C]
        for (int64_t n = 0; n < N; ++n) {
          grad_input.data()[n * C + classes[static_cast<size_t>(n)]] = -grad_losses.data()[n];
        }
        return std::vector<Tensor>{grad_input};
      });
  return apply_reduction(losses, reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction) {
  static constexpr std::string_view op = "binary_cross_entropy_with_logits";
  MINIDL_CHECK(logits.shape() == targets.shape(),
               "{}: logits of shape {} and targets of shape {} must have the same shape", op,
               logits.shape(), targets.shape());
  // loss = max(x, 0) - x y + log(1 + e^-|x|): no overflow for any x
  Tensor losses = detail::map2(op, logits.detach(), targets.detach(), [](float x, float y) {
    return std::fmax(x, 0.0F) - x * y + std::log1p(std::exp(-std::fabs(x)));
  });
  losses = autograd::record(
      op, {logits, targets}, losses,
      [saved_x = autograd::SavedTensor(logits),
       saved_y = logits.requires_grad() ? autograd::SavedTensor(targets) : autograd::SavedTensor(),
       need_x = logits.requires_grad(), need_y = targets.requires_grad()](const Tensor& grad) {
        const Tensor& x = saved_x.unpack();
        Tensor grad_x;
        Tensor grad_y;
        if (need_x) {  // dloss/dx = sigmoid(x) - y
          grad_x = mul(grad, detail::map2(op, x, saved_y.unpack(), [](float xi, float yi) {
                         const float sigmoid = xi >= 0.0F ? 1.0F / (1.0F + std::exp(-xi))
                                                          : std::exp(xi) / (1.0F + std::exp(xi));
                         return sigmoid - yi;
                       }));
        }
        if (need_y) grad_y = mul(grad, neg(x));  // dloss/dy = -x
        return std::vector<Tensor>{grad_x, grad_y};
      });
  return apply_reduction(losses, reduction);
}

}  // namespace minidl
