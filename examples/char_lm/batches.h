// The training and validation examples of examples/char_lm as tensors: context windows for the
// MLP, whole padded words for the LSTM and windows of at most `width` symbols for the GPT, each
// with the next symbol as target. Targets equal to kIgnoreTarget (padding, and positions another
// window of the same word already predicts) count for nothing in the loss.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace minidl::examples {

/// The target of positions the loss skips (cross_entropy's ignore_index).
inline constexpr int64_t kIgnoreTarget = -1;

/// Rows of symbol indices and their next-symbol targets.
struct Batch {
  Tensor inputs;   ///< [M, W] symbol indices
  Tensor targets;  ///< [M] (one prediction per row) or [M, W] (one per position)
};

/// For every character and end of `words`, the `context` symbols before it ('.'-padded at the
/// start): inputs [M, context], targets [M].
Batch context_windows(const std::vector<std::string>& words, int64_t context);

/// Each word as ". w1 ... wn" with targets "w1 ... wn .", in rows of T = min(width, longest + 1)
/// positions: one row when it fits, else further rows ending T symbols later (or at its end),
/// whose targets already predicted by the row before are ignored, so every symbol is predicted
/// once from the (at most T) symbols up to it. Short rows are padded with ignored targets.
Batch word_windows(const std::vector<std::string>& words, int64_t width);

/// The rows `rows` of `batch`, cut after the last position with a counted target.
Batch select_rows(const Batch& batch, const std::vector<int64_t>& rows);

/// The number of targets that count (not kIgnoreTarget).
int64_t count_targets(const Batch& batch);

}  // namespace minidl::examples
