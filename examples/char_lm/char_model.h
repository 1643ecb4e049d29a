// CharModel: what examples/char_lm needs from each of its language models: logits for a batch
// of symbol windows, and the window of a generated prefix that predicts the next symbol.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/module.h"

namespace minidl::examples {

/// A character-level language model over the 27 symbols of data::Words.
class CharModel : public nn::Module {
 public:
  /// Logits for inputs [N, W] of symbol indices: [N, 27] (one prediction per row) or
  /// [N, W, 27] (one prediction per position).
  Tensor forward(const Tensor& input) override = 0;
  /// The input window [1, W] that predicts the symbol after `prefix` (which starts with '.').
  virtual std::vector<int64_t> window(const std::vector<int64_t>& prefix) const = 0;
};

}  // namespace minidl::examples
