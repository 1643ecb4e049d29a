#include "examples/char_lm/batches.h"

#include <algorithm>

#include "core/error.h"
#include "core/factories.h"
#include "core/ops/indexing.h"
#include "core/ops/view.h"
#include "data/words.h"

namespace minidl::examples {

Batch context_windows(const std::vector<std::string>& words, int64_t context) {
  const data::TensorDataset examples = data::Words::context_examples(words, context);
  return {examples.inputs(), examples.targets()};
}

Batch word_windows(const std::vector<std::string>& words, int64_t width) {
  MINIDL_CHECK(width >= 1, "word_windows: width must be >= 1, got {}", width);
  MINIDL_CHECK(!words.empty(), "word_windows: no words");
  size_t longest = 0;
  for (const std::string& word : words) longest = std::max(longest, word.size());
  const auto row_length = static_cast<size_t>(std::min<int64_t>(width, longest + 1));
  std::vector<float> inputs;
  std::vector<float> targets;
  for (const std::string& word : words) {
    std::vector<int64_t> symbols = data::Words::encode(word);
    symbols.insert(symbols.begin(), 0);  // inputs: '.' then the word; targets: the word then '.'
    symbols.push_back(0);
    const size_t predictions = word.size() + 1;
    size_t done = 0;  // positions predicted by earlier rows
    while (done < predictions) {
      const size_t end = std::min(done + row_length, predictions);
      const size_t start = end > row_length ? end - row_length : 0;
      for (size_t j = start; j < start + row_length; ++j) {
        const bool counted = j >= done && j < end;
        inputs.push_back(j < end ? static_cast<float>(symbols[j]) : 0.0F);
        targets.push_back(counted ? static_cast<float>(symbols[j + 1])
                                  : static_cast<float>(kIgnoreTarget));
      }
      done = end;
    }
  }
  const auto rows = static_cast<int64_t>(inputs.size() / row_length);
  const Shape shape{rows, static_cast<int64_t>(row_length)};
  return {from_vector(inputs, shape), from_vector(targets, shape)};
}

Batch select_rows(const Batch& batch, const std::vector<int64_t>& rows) {
  std::vector<float> index(rows.begin(), rows.end());
  const Tensor picked = from_vector(index);
  Batch out{index_select(batch.inputs, 0, picked), index_select(batch.targets, 0, picked)};
  if (out.targets.dim() < 2) return out;
  const int64_t width = out.targets.shape()[1];
  const float* targets = out.targets.data();
  int64_t used = 1;
  for (int64_t i = 0; i < out.targets.numel(); ++i) {
    if (targets[i] != static_cast<float>(kIgnoreTarget)) used = std::max(used, i % width + 1);
  }
  return {narrow(out.inputs, 1, 0, used).contiguous(),
          narrow(out.targets, 1, 0, used).contiguous()};
}

int64_t count_targets(const Batch& batch) {
  const Tensor targets = batch.targets.contiguous();
  const float* values = targets.data();
  return std::count_if(values, values + targets.numel(),
                       [](float t) { return t != static_cast<float>(kIgnoreTarget); });
}

}  // namespace minidl::examples
