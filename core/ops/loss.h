// Loss primitives with fused kernels: cross_entropy (from logits, stable log-sum-exp forward and
// softmax-minus-target backward), nll_loss and binary_cross_entropy_with_logits, with PyTorch's
// options (class weight, ignore_index, label_smoothing, probability targets, pos_weight). Class
// targets are float32 tensors of whole numbers, validated here. Scores are [N, C] or
// [N, C, d1, ...] with class targets [N] or [N, d1, ...]. The nn layers wrap these.
#pragma once

#include <string_view>
#include <vector>

#include "core/tensor.h"

namespace minidl {

/// How a loss combines its per-element values.
enum class Reduction {
  None,  ///< keep one value per sample (or element)
  Mean,  ///< average them
  Sum,   ///< add them up
};

/// Options of cross_entropy (PyTorch's CrossEntropyLoss arguments and defaults).
struct CrossEntropyOptions {
  Reduction reduction = Reduction::Mean;  ///< None, Mean (weighted, see below) or Sum
  Tensor weight;                          ///< class weights [C] (a constant); undefined: all 1
  int64_t ignore_index = -100;            ///< class targets equal to it count for nothing
  float label_smoothing = 0.0F;           ///< in [0, 1]: mixes the target with uniform 1 / C
};

/// Options of nll_loss (PyTorch's NLLLoss arguments and defaults).
struct NLLLossOptions {
  Reduction reduction = Reduction::Mean;  ///< None, Mean (weighted, see below) or Sum
  Tensor weight;                          ///< class weights [C] (a constant); undefined: all 1
  int64_t ignore_index = -100;            ///< targets equal to it count for nothing
};

/// Options of binary_cross_entropy_with_logits (PyTorch's BCEWithLogitsLoss arguments).
struct BCEWithLogitsOptions {
  Reduction reduction = Reduction::Mean;  ///< None, Mean or Sum over the elements
  Tensor pos_weight;  ///< weight of the positive term (a constant), broadcast to the logits
                      ///< (typically [C] for logits [N, C]); undefined: 1
};

/// Combines per-element losses as `reduction` says (differentiable).
Tensor apply_reduction(const Tensor& losses, Reduction reduction);

/// The class index at each position of `targets` ([N] for `scores` [N, C], [N, d1, ...] for
/// [N, C, d1, ...]), flattened; checked to be whole numbers in [0, C) or equal to
/// `ignore_index`, whose positions hold -1. `op` names the caller in errors.
std::vector<int64_t> class_targets(std::string_view op, const Tensor& scores, const Tensor& targets,
                                   int64_t ignore_index = -100);

/// Cross-entropy of logits [N, C, d1, ...] against class indices [N, d1, ...] or probabilities
/// of the logits' shape. Per position, with q the target distribution ((1 - s) one_hot(t) + s / C
/// for a class t, (1 - s) p + s / C for probabilities p; s = label_smoothing) and w the weights:
///   loss = sum_c w[c] q[c] (logsumexp(x) - x[c]);  ignored positions give 0.
/// Mean divides the sum by the sum of w[t] over the counted class targets (all ignored: 0 / 0 =
/// NaN, as PyTorch), by the number of positions for probability targets.
Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     const CrossEntropyOptions& options = {});
/// -w[t] log_probs[n, t, ...] for log-probabilities [N, C, d1, ...] and class targets
/// [N, d1, ...]; ignored positions give 0, Mean divides by the sum of the counted w[t].
Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, const NLLLossOptions& options = {});
/// (1 - y) x + (1 + (pos_weight - 1) y) log(1 + e^-x) elementwise for logits x and targets y
/// of one shape, computed stably for any x (with pos_weight 1: max(x, 0) - x y + log(1 +
/// e^-|x|)).
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        const BCEWithLogitsOptions& options = {});

}  // namespace minidl
