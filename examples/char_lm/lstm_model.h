// A recurrent language model: symbol embeddings through an LSTM, a linear read-out of 27 logits
// at every step. It reads whole words from the start symbol, so its context is the whole prefix.
#pragma once

#include <memory>

#include "examples/char_lm/char_model.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/recurrent.h"

namespace minidl::examples {

/// Sizes of LstmModel.
struct LstmModelOptions {
  int64_t embedding = 32;  ///< width of each symbol's vector
  int64_t hidden = 128;    ///< the LSTM's hidden size
};

/// Sequences [N, T] -> logits [N, T, 27].
class LstmModel : public CharModel {
 public:
  /// Initializes every layer from `generator`.
  LstmModel(const LstmModelOptions& options, Generator& generator);
  Tensor forward(const Tensor& input) override;
  /// The whole prefix.
  std::vector<int64_t> window(const std::vector<int64_t>& prefix) const override;

 private:
  std::shared_ptr<nn::Embedding> embedding_;
  std::shared_ptr<nn::LSTM> lstm_;
  std::shared_ptr<nn::Linear> output_;
};

}  // namespace minidl::examples
