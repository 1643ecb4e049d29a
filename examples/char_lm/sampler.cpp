#include "examples/char_lm/sampler.h"

#include <numeric>

#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"
#include "core/ops/softmax.h"
#include "core/ops/view.h"
#include "data/words.h"

namespace minidl::examples {

int64_t draw_index(const std::vector<float>& weights, Generator& generator) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  MINIDL_CHECK(total > 0.0, "draw_index: the weights sum to {}, not a positive number", total);
  const double point = generator.uniform() * total;
  double running = 0.0;
  for (size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    if (point < running) return static_cast<int64_t>(i);
  }
  return static_cast<int64_t>(weights.size()) - 1;  // rounding left `point` past the last sum
}

std::string sample_word(CharModel& model, Generator& generator, int64_t max_length) {
  const NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  std::vector<int64_t> prefix{0};
  std::string word;
  while (static_cast<int64_t>(word.size()) < max_length) {
    const std::vector<int64_t> window = model.window(prefix);
    const std::vector<float> symbols(window.begin(), window.end());
    Tensor logits = model(from_vector(symbols, {1, static_cast<int64_t>(symbols.size())}));
    logits = reshape(logits, {-1, data::Words::kVocabSize});
    const Tensor probabilities =
        softmax(narrow(logits, 0, logits.shape()[0] - 1, 1), 1).contiguous();
    const float* p = probabilities.data();
    const int64_t next = draw_index({p, p + data::Words::kVocabSize}, generator);
    if (next == 0) break;
    word += data::Words::decode(next);
    prefix.push_back(next);
  }
  model.train(was_training);
  return word;
}

}  // namespace minidl::examples
