#include "examples/char_lm/lstm_model.h"

#include "data/words.h"

namespace minidl::examples {

LstmModel::LstmModel(const LstmModelOptions& options, Generator& generator) {
  const int64_t vocab = data::Words::kVocabSize;
  embedding_ = register_module(
      "embedding",
      std::make_shared<nn::Embedding>(
          nn::EmbeddingOptions{.num_embeddings = vocab, .embedding_dim = options.embedding},
          generator));
  lstm_ = register_module(
      "lstm", std::make_shared<nn::LSTM>(nn::LSTMOptions{.input_size = options.embedding,
                                                         .hidden_size = options.hidden,
                                                         .batch_first = true},
                                         generator));
  output_ = register_module(
      "output", std::make_shared<nn::Linear>(nn::LinearOptions{.in = options.hidden, .out = vocab},
                                             generator));
}

Tensor LstmModel::forward(const Tensor& input) {
  return (*output_)(lstm_->forward((*embedding_)(input)).output);
}

std::vector<int64_t> LstmModel::window(const std::vector<int64_t>& prefix) const { return prefix; }

}  // namespace minidl::examples
