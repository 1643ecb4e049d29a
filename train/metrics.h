// Tally: the loss and accuracy of a classifier, accumulated batch by batch, as the training loop
// and evaluation report them.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace minidl::train {

/// Loss and accuracy accumulated over batches.
struct Tally {
  double loss_sum = 0.0;  ///< sum over examples of each example's loss
  int64_t correct = 0;    ///< examples whose highest logit is their class
  int64_t seen = 0;       ///< examples added

  /// Adds a batch: its logits [N, C], class targets [N] and mean loss.
  void add(const Tensor& logits, const Tensor& targets, double mean_loss);
  /// The mean loss per example (0 before any batch).
  double loss() const;
  /// The fraction of examples classified correctly (0 before any batch).
  double accuracy() const;
};

}  // namespace minidl::train
