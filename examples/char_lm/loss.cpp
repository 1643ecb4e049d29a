#include "examples/char_lm/loss.h"

#include <algorithm>
#include <numeric>

#include "core/grad_mode.h"
#include "core/ops/view.h"
#include "data/words.h"

namespace minidl::examples {

Tensor next_symbol_loss(const Tensor& logits, const Tensor& targets, Reduction reduction) {
  return cross_entropy(reshape(logits, {-1, data::Words::kVocabSize}), reshape(targets, {-1}),
                       {.reduction = reduction, .ignore_index = kIgnoreTarget});
}

double mean_loss(CharModel& model, const Batch& examples, int64_t rows_per_pass) {
  const NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const int64_t rows = examples.inputs.shape()[0];
  double total = 0.0;
  for (int64_t first = 0; first < rows; first += rows_per_pass) {
    std::vector<int64_t> chunk(static_cast<size_t>(std::min(rows_per_pass, rows - first)));
    std::iota(chunk.begin(), chunk.end(), first);
    const Batch part = select_rows(examples, chunk);
    total += next_symbol_loss(model(part.inputs), part.targets, Reduction::Sum).item();
  }
  model.train(was_training);
  return total / static_cast<double>(count_targets(examples));
}

}  // namespace minidl::examples
