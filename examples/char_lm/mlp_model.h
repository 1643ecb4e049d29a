// The model of Bengio et al. (2003), "A Neural Probabilistic Language Model": the embeddings of
// the last `context` symbols, concatenated, through one tanh hidden layer to 27 logits.
#pragma once

#include <memory>

#include "examples/char_lm/char_model.h"
#include "nn/embedding.h"
#include "nn/linear.h"

namespace minidl::examples {

/// Sizes of MlpModel.
struct MlpModelOptions {
  int64_t context = 3;     ///< symbols seen before the predicted one
  int64_t embedding = 16;  ///< width of each symbol's vector
  int64_t hidden = 256;    ///< width of the tanh layer
};

/// Context window [N, context] -> logits [N, 27].
class MlpModel : public CharModel {
 public:
  /// Initializes every layer from `generator`.
  MlpModel(const MlpModelOptions& options, Generator& generator);
  Tensor forward(const Tensor& input) override;
  /// The last `context` symbols of `prefix`, '.'-padded at the start.
  std::vector<int64_t> window(const std::vector<int64_t>& prefix) const override;

 private:
  MlpModelOptions options_;
  std::shared_ptr<nn::Embedding> embedding_;
  std::shared_ptr<nn::Linear> hidden_;
  std::shared_ptr<nn::Linear> output_;
};

}  // namespace minidl::examples
