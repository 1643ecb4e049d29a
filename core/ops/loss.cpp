// Loss primitives. Each records one node producing per-position (or per-element) losses; the
// reduction is then an ordinary differentiable sum or mean on top (a weighted mean divides the
// sum by the counted targets' total weight).
//
// Legend: N samples, C classes, K positions per sample (K = d1 * d2 * ..., 1 for [N, C]);
// scores [N, C, d1, ...] are read as [N, C, K]. Cross-entropy at one position, with
// p = softmax(x) over the classes, q the target distribution and w the class weights:
//   loss       = sum_c w[c] q[c] (logsumexp(x) - x[c])
//   dloss/dx_c = p[c] sum_j w[j] q[j] - w[c] q[c]   (fused: never forms log p explicitly)
//   dloss/dP_c = (1 - s) w[c] (logsumexp(x) - x[c]) for probability targets P (q = (1 - s) P + s / C)
#include "core/ops/loss.h"

#include <cmath>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/kernels/fast_math.h"
#include "core/ops/arithmetic.h"
#include "core/ops/reduction.h"

namespace minidl {

namespace {

constexpr int64_t kIgnored = -1;  // class_targets' mark of an ignored position

// Scores [N, C, d1, ...] read as [N, C, K].
struct ClassLayout {
  int64_t N = 0;
  int64_t C = 0;
  int64_t K = 0;

  // The flat index of [n, c, k] for position = n * K + k.
  int64_t index(int64_t position, int64_t c) const {
    return ((position / K) * C + c) * K + position % K;
  }
};

ClassLayout class_layout(std::string_view op, const Tensor& scores) {
  MINIDL_CHECK(scores.dim() >= 2 && scores.size(0) > 0 && scores.size(1) > 0,
               "{}: expected scores of shape [N, C] or [N, C, d1, ...] with N, C > 0, got {}", op,
               scores.shape());
  const int64_t N = scores.size(0);
  const int64_t C = scores.size(1);
  return {N, C, scores.numel() / (N * C)};
}

// The shape of one loss per position: the scores' shape without the class dim.
Shape position_shape(const Tensor& scores) {
  Shape shape = scores.shape();
  shape.erase(shape.begin() + 1);
  return shape;
}

// The class weights as C floats (all 1 when `weight` is undefined), checked to be [C].
std::vector<float> class_weights(std::string_view op, const Tensor& weight, int64_t C) {
  if (!weight.defined()) return std::vector<float>(static_cast<size_t>(C), 1.0F);
  MINIDL_CHECK(weight.shape() == Shape{C},
               "{}: weight of shape {} does not fit {} classes; expected shape [{}]", op,
               weight.shape(), C, C);
  return weight.to_vector();
}

// The divisor of a weighted Mean: the sum of w[t] over the counted (not ignored) targets.
double counted_weight(const std::vector<int64_t>& classes, const std::vector<float>& weights) {
  double total = 0.0;
  for (const int64_t c : classes) {
    if (c != kIgnored) total += weights[static_cast<size_t>(c)];
  }
  return total;
}

// Like apply_reduction, but Mean divides the sum by `divisor` (0 / 0 = NaN when nothing counts).
Tensor reduce(const Tensor& losses, Reduction reduction, double divisor) {
  if (reduction != Reduction::Mean) return apply_reduction(losses, reduction);
  return div(sum(losses), static_cast<float>(divisor));
}

// The target distribution q of a cross-entropy at each position: (1 - s) one_hot(t) + s / C for
// class indices t (nothing at an ignored position), (1 - s) P + s / C for probabilities P.
struct TargetDistribution {
  const int64_t* classes = nullptr;  // [N * K] class indices (kIgnored), or null
  const float* probs = nullptr;      // [N, C, K] probabilities, or null
  float keep = 1.0F;                 // 1 - s
  float uniform = 0.0F;              // s / C
  ClassLayout layout;

  bool ignored(int64_t position) const {
    return classes != nullptr && classes[position] == kIgnored;
  }
  // q[c] at position n * K + k.
  float at(int64_t position, int64_t c) const {
    const float target = classes != nullptr ? (classes[position] == c ? 1.0F : 0.0F)
                                            : probs[layout.index(position, c)];
    return keep * target + uniform;
  }
};

// The distribution of class indices `classes` (when not empty) or probabilities `probs` [N, C, K]
// smoothed by `smoothing`.
TargetDistribution target_distribution(const std::vector<int64_t>& classes, const Tensor& probs,
                                       float smoothing, ClassLayout layout) {
  return {classes.empty() ? nullptr : classes.data(), probs.defined() ? probs.data() : nullptr,
          1.0F - smoothing, smoothing / static_cast<float>(layout.C), layout};
}

// Whether `from` broadcasts to exactly `to` (each trailing dim 1 or equal, no extra dims).
bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  for (size_t i = 1; i <= from.size(); ++i) {
    const int64_t size = from[from.size() - i];
    if (size != 1 && size != to[to.size() - i]) return false;
  }
  return true;
}

}  // namespace

namespace kernels {
namespace {

// losses [N * K] = sum_c w[c] q[c] (logsumexp(x) - x[c]) with x = logits[n, :, k];
// probs [N, C, K] = softmax(x), kept for the backward; log_sum_exps [N * K] when not null.
void cross_entropy_forward(float* losses, float* probs, double* log_sum_exps, const float* logits,
                           const TargetDistribution& q, const float* weights, ClassLayout l) {
  const auto [N, C, K] = l;
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t k = 0; k < K; ++k) {
      const int64_t position = n * K + k;
      const float* x = logits + n * C * K + k;  // x[c * K]
      float* p = probs + n * C * K + k;         // p[c * K]
      float max_value = x[0];
      for (int64_t c = 1; c < C; ++c) max_value = std::fmax(max_value, x[c * K]);
      double total = 0.0;
      for (int64_t c = 0; c < C; ++c) {
        p[c * K] = kernels::fast_exp(x[c * K] - max_value);
        total += p[c * K];
      }
      const auto scale = static_cast<float>(1.0 / total);
      for (int64_t c = 0; c < C; ++c) p[c * K] *= scale;
      const double log_sum_exp = static_cast<double>(max_value) + std::log(total);
      if (log_sum_exps != nullptr) log_sum_exps[position] = log_sum_exp;
      double loss = 0.0;
      if (!q.ignored(position)) {
        for (int64_t c = 0; c < C; ++c) {
          const double weight = static_cast<double>(weights[c]) * q.at(position, c);
          // a zero weight skips the class: a -inf logit (a masked class) adds nothing
          if (weight != 0.0) loss += weight * (log_sum_exp - static_cast<double>(x[c * K]));
        }
      }
      losses[position] = static_cast<float>(loss);
    }
  }
}

// grad_logits [N, C, K] = (p[c] sum_j w[j] q[j] - w[c] q[c]) * grad_losses [N * K].
void cross_entropy_backward(float* grad_logits, const float* grad_losses, const float* probs,
                            const TargetDistribution& q, const float* weights, ClassLayout l) {
  const auto [N, C, K] = l;
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t k = 0; k < K; ++k) {
      const int64_t position = n * K + k;
      if (q.ignored(position)) continue;
      const float g = grad_losses[position];
      const float* p = probs + n * C * K + k;  // p[c * K]
      float* grad = grad_logits + n * C * K + k;
      float total_weight = 0.0F;
      for (int64_t c = 0; c < C; ++c) total_weight += weights[c] * q.at(position, c);
      for (int64_t c = 0; c < C; ++c) {
        grad[c * K] = p[c * K] * total_weight * g - weights[c] * q.at(position, c) * g;
      }
    }
  }
}

// grad_targets [N, C, K] = (1 - s) w[c] (logsumexp(x) - x[c]) * grad_losses [N * K] for
// probability targets.
void cross_entropy_targets_backward(float* grad_targets, const float* grad_losses,
                                    const double* log_sum_exps, const float* logits, float keep,
                                    const float* weights, ClassLayout l) {
  const auto [N, C, K] = l;
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t c = 0; c < C; ++c) {
      for (int64_t k = 0; k < K; ++k) {
        const int64_t position = n * K + k;
        const int64_t i = (n * C + c) * K + k;
        const double log_prob = static_cast<double>(logits[i]) - log_sum_exps[position];
        grad_targets[i] = static_cast<float>(-keep * weights[c] * log_prob) * grad_losses[position];
      }
    }
  }
}

// log(1 + e^-x) for any x without overflow.
float softplus_of_neg(float x) { return std::fmax(-x, 0.0F) + std::log1p(std::exp(-std::fabs(x))); }

float sigmoid(float x) {
  return x >= 0.0F ? 1.0F / (1.0F + std::exp(-x)) : std::exp(x) / (1.0F + std::exp(x));
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

std::vector<int64_t> class_targets(std::string_view op, const Tensor& scores, const Tensor& targets,
                                   int64_t ignore_index) {
  const int64_t C = class_layout(op, scores).C;
  const Shape expected = position_shape(scores);
  MINIDL_CHECK(targets.shape() == expected,
               "{}: targets of shape {} do not fit scores of shape {}; expected class indices of "
               "shape {}",
               op, targets.shape(), scores.shape(), expected);
  std::vector<float> values = targets.to_vector();
  std::vector<int64_t> classes(values.size());
  for (size_t n = 0; n < values.size(); ++n) {
    const float value = values[n];
    const FloatIndex checked = float_index(value, C);
    MINIDL_CHECK(checked.whole, "{}: target {} at position {} is not a whole number (class index)",
                 op, value, n);
    // a float compares exactly with an integer ignore_index up to 2^24 (any class label's range)
    if (static_cast<double>(value) == static_cast<double>(ignore_index)) {
      classes[n] = kIgnored;
      continue;
    }
    MINIDL_CHECK(checked.in_range,
                 "{}: target {} at position {} is out of range for {} classes (valid: 0 to {})", op,
                 value, n, C, C - 1);
    classes[n] = checked.index;
  }
  return classes;
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     const CrossEntropyOptions& options) {
  static constexpr std::string_view op = "cross_entropy";
  const ClassLayout layout = class_layout(op, logits);
  const float s = options.label_smoothing;
  MINIDL_CHECK(s >= 0.0F && s <= 1.0F, "{}: label_smoothing {} is outside [0, 1]", op, s);
  const bool soft = targets.shape() == logits.shape();  // probabilities, not class indices
  MINIDL_CHECK(soft || targets.shape() == position_shape(logits),
               "{}: targets of shape {} do not fit scores of shape {}; expected class indices of "
               "shape {} or probabilities of shape {}",
               op, targets.shape(), logits.shape(), position_shape(logits), logits.shape());
  std::vector<int64_t> classes;
  if (!soft) classes = class_targets(op, logits, targets, options.ignore_index);
  std::vector<float> weights = class_weights(op, options.weight, layout.C);
  const bool targets_need_grad = soft && targets.requires_grad();

  Tensor x = logits.detach().contiguous();                                 // [N, C, K]
  Tensor probabilities = soft ? targets.detach().contiguous() : Tensor();  // [N, C, K]
  Tensor losses = Tensor::empty(position_shape(logits));                   // [N * K]
  Tensor probs = Tensor::empty(logits.shape());                            // [N, C, K] softmax
  std::vector<double> log_sum_exps(targets_need_grad ? static_cast<size_t>(layout.N * layout.K)
                                                     : 0);
  const TargetDistribution q = target_distribution(classes, probabilities, s, layout);
  kernels::cross_entropy_forward(losses.data(), probs.data(),
                                 targets_need_grad ? log_sum_exps.data() : nullptr, x.data(), q,
                                 weights.data(), layout);
  const double divisor =
      soft ? static_cast<double>(layout.N * layout.K) : counted_weight(classes, weights);

  std::vector<Tensor> inputs{logits};
  if (soft) inputs.push_back(targets);
  losses = autograd::record(
      op, inputs, losses,
      [probs, saved_targets = soft ? autograd::SavedTensor(targets) : autograd::SavedTensor(),
       saved_logits = targets_need_grad ? autograd::SavedTensor(logits) : autograd::SavedTensor(),
       classes = std::move(classes), weights = std::move(weights),
       log_sum_exps = std::move(log_sum_exps), s, layout, soft, targets_need_grad,
       need_logits = logits.requires_grad()](const Tensor& grad) {
        Tensor grad_losses = grad.contiguous();  // [N * K]
        Tensor saved_probabilities = soft ? saved_targets.unpack().contiguous() : Tensor();
        std::vector<Tensor> grads(soft ? 2 : 1);
        if (need_logits) {
          const TargetDistribution distribution =
              target_distribution(classes, saved_probabilities, s, layout);
          grads[0] = zeros(probs.shape());  // [N, C, K]
          kernels::cross_entropy_backward(grads[0].data(), grad_losses.data(), probs.data(),
                                          distribution, weights.data(), layout);
        }
        if (targets_need_grad) {
          Tensor saved_x = saved_logits.unpack().contiguous();
          grads[1] = Tensor::empty(probs.shape());  // [N, C, K]
          kernels::cross_entropy_targets_backward(grads[1].data(), grad_losses.data(),
                                                  log_sum_exps.data(), saved_x.data(), 1.0F - s,
                                                  weights.data(), layout);
        }
        return grads;
      });
  return reduce(losses, options.reduction, divisor);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, const NLLLossOptions& options) {
  static constexpr std::string_view op = "nll_loss";
  const ClassLayout layout = class_layout(op, log_probs);
  std::vector<int64_t> classes = class_targets(op, log_probs, targets, options.ignore_index);
  std::vector<float> weights = class_weights(op, options.weight, layout.C);
  Tensor x = log_probs.detach().contiguous();        // [N, C, K]
  Tensor losses = zeros(position_shape(log_probs));  // [N * K] = -w[t] x[n, t, k]
  for (int64_t position = 0; position < layout.N * layout.K; ++position) {
    const int64_t t = classes[static_cast<size_t>(position)];
    if (t == kIgnored) continue;
    losses.data()[position] =
        -weights[static_cast<size_t>(t)] * x.data()[layout.index(position, t)];
  }
  const double divisor = counted_weight(classes, weights);
  losses =
      autograd::record(op, {log_probs}, losses,
                       [classes = std::move(classes), weights = std::move(weights), layout,
                        shape = log_probs.shape()](const Tensor& grad) {
                         Tensor grad_losses = grad.contiguous();  // [N * K]
                         Tensor grad_input = zeros(shape);        // [N, C, K]
                         for (int64_t position = 0; position < layout.N * layout.K; ++position) {
                           const int64_t t = classes[static_cast<size_t>(position)];
                           if (t == kIgnored) continue;
                           grad_input.data()[layout.index(position, t)] =
                               -weights[static_cast<size_t>(t)] * grad_losses.data()[position];
                         }
                         return std::vector<Tensor>{grad_input};
                       });
  return reduce(losses, options.reduction, divisor);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        const BCEWithLogitsOptions& options) {
  static constexpr std::string_view op = "binary_cross_entropy_with_logits";
  MINIDL_CHECK(logits.shape() == targets.shape(),
               "{}: logits of shape {} and targets of shape {} must have the same shape", op,
               logits.shape(), targets.shape());
  const Tensor& pos_weight = options.pos_weight;
  MINIDL_CHECK(!pos_weight.defined() || broadcasts_to(pos_weight.shape(), logits.shape()),
               "{}: pos_weight of shape {} does not broadcast to logits of shape {}", op,
               pos_weight.shape(), logits.shape());
  // pos_weight broadcast to the logits' shape, or undefined (weight 1)
  auto expanded_pos_weight = [](const Tensor& weight, const Shape& shape) {
    return weight.defined() ? weight.detach().expand(shape).contiguous() : Tensor();
  };
  Tensor x = logits.detach().contiguous();
  Tensor y = targets.detach().contiguous();
  Tensor pw = expanded_pos_weight(pos_weight, logits.shape());
  // loss = (1 - y) x + (1 + (pw - 1) y) log(1 + e^-x): no overflow for any x
  Tensor losses = Tensor::empty(logits.shape());
  for (int64_t i = 0, end = x.numel(); i < end; ++i) {
    const float xi = x.data()[i];
    const float yi = y.data()[i];
    const float log_weight = pw.defined() ? 1.0F + (pw.data()[i] - 1.0F) * yi : 1.0F;
    losses.data()[i] = (1.0F - yi) * xi + log_weight * kernels::softplus_of_neg(xi);
  }
  losses = autograd::record(
      op, {logits, targets}, losses,
      [saved_x = autograd::SavedTensor(logits), saved_y = autograd::SavedTensor(targets),
       saved_pos_weight =
           pos_weight.defined() ? autograd::SavedTensor(pos_weight) : autograd::SavedTensor(),
       expanded_pos_weight, need_x = logits.requires_grad(),
       need_y = targets.requires_grad()](const Tensor& grad) {
        Tensor g = grad.contiguous();
        Tensor logit = saved_x.unpack().contiguous();
        Tensor target = saved_y.unpack().contiguous();
        Tensor weight = expanded_pos_weight(
            saved_pos_weight.defined() ? saved_pos_weight.unpack() : Tensor(), logit.shape());
        Tensor grad_x = need_x ? Tensor::empty(logit.shape()) : Tensor();
        Tensor grad_y = need_y ? Tensor::empty(logit.shape()) : Tensor();
        for (int64_t i = 0, end = logit.numel(); i < end; ++i) {
          const float xi = logit.data()[i];
          const float yi = target.data()[i];
          const float pwi = weight.defined() ? weight.data()[i] : 1.0F;
          // dloss/dx = (1 - y) - (1 + (pw - 1) y) sigmoid(-x): sigmoid(x) - y when pw = 1
          if (need_x) {
            grad_x.data()[i] =
                ((1.0F - yi) - (1.0F + (pwi - 1.0F) * yi) * kernels::sigmoid(-xi)) * g.data()[i];
          }
          // dloss/dy = -x + (pw - 1) log(1 + e^-x)
          if (need_y) {
            grad_y.data()[i] = (-xi + (pwi - 1.0F) * kernels::softplus_of_neg(xi)) * g.data()[i];
          }
        }
        return std::vector<Tensor>{grad_x, grad_y};
      });
  return apply_reduction(losses, options.reduction);
}

}  // namespace minidl
