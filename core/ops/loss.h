// Loss primitives with fused kernels: cross_entropy (from logits, stable log-sum-exp forward and
// softmax-minus-one-hot backward), nll_loss and binary_cross_entropy_with_logits. Class targets
// are float32 tensors of whole numbers, validated here. The nn layer wraps these with options.
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

/// Combines per-element losses as `reduction` says (differentiable).
Tensor apply_reduction(const Tensor& losses, Reduction reduction);

/// The class indices held by `targets`, checked to be shape [N] for `scores` of shape [N, C],
/// whole numbers and in [0, C); `op` names the caller in errors.
std::vector<int64_t> class_targets(std::string_view op, const Tensor& scores,
                                   const Tensor& targets);

/// -log softmax(logits)[n, targets[n]] for logits [N, C] and class targets [N].
Tensor cross_entropy(const Tensor& logits, const Tensor& targets, Reduction reduction);
/// -log_probs[n, targets[n]] for log-probabilities [N, C] and class targets [N].
Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, Reduction reduction);
/// max(x, 0) - x * y + log(1 + e^-|x|) elementwise for logits x and targets y of one shape.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction);

}  // namespace minidl
