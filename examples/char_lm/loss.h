// The language-modelling loss of examples/char_lm: cross-entropy of the next symbol, in nats per
// character, skipping ignored targets; and the mean of it over a whole set of examples.
#pragma once

#include "core/ops/loss.h"
#include "examples/char_lm/batches.h"
#include "examples/char_lm/char_model.h"

namespace minidl::examples {

/// Cross-entropy of `logits` ([M, 27] or [M, W, 27]) against `targets` ([M] or [M, W]),
/// skipping kIgnoreTarget, combined as `reduction` says.
Tensor next_symbol_loss(const Tensor& logits, const Tensor& targets,
                        Reduction reduction = Reduction::Mean);

/// The mean loss of `model` over every counted target of `examples` (in eval mode, without
/// recording a graph), computed `rows_per_pass` rows at a time.
double mean_loss(CharModel& model, const Batch& examples, int64_t rows_per_pass = 1024);

}  // namespace minidl::examples
