#include "examples/char_lm/mlp_model.h"

#include <algorithm>

#include "core/ops/math.h"
#include "core/ops/view.h"
#include "data/words.h"

namespace minidl::examples {

MlpModel::MlpModel(const MlpModelOptions& options, Generator& generator) : options_(options) {
  const int64_t vocab = data::Words::kVocabSize;
  embedding_ = register_module(
      "embedding",
      std::make_shared<nn::Embedding>(
          nn::EmbeddingOptions{.num_embeddings = vocab, .embedding_dim = options.embedding},
          generator));
  hidden_ = register_module(
      "hidden",
      std::make_shared<nn::Linear>(
          nn::LinearOptions{.in = options.context * options.embedding, .out = options.hidden},
          generator));
  output_ = register_module(
      "output", std::make_shared<nn::Linear>(nn::LinearOptions{.in = options.hidden, .out = vocab},
                                             generator));
}

Tensor MlpModel::forward(const Tensor& input) {
  const Tensor vectors = (*embedding_)(input);  // [N, context, embedding]
  return (*output_)(tanh((*hidden_)(flatten(vectors, 1))));
}

std::vector<int64_t> MlpModel::window(const std::vector<int64_t>& prefix) const {
  std::vector<int64_t> symbols(static_cast<size_t>(options_.context), 0);
  const size_t n = std::min(symbols.size(), prefix.size());
  std::copy(prefix.end() - static_cast<std::ptrdiff_t>(n), prefix.end(),
            symbols.end() - static_cast<std::ptrdiff_t>(n));
  return symbols;
}

}  // namespace minidl::examples
