// A tiny GPT (Radford et al. 2018, with the pre-LayerNorm blocks of GPT-2): symbol plus learned
// position embeddings, `layers` blocks of causal multi-head attention and a GELU MLP of 4x the
// width, each as x + f(LayerNorm(x)), then a final LayerNorm and a linear read-out of 27 logits
// at every position. No dropout.
#pragma once

#include <memory>
#include <vector>

#include "examples/char_lm/char_model.h"
#include "nn/embedding.h"
#include "nn/layernorm.h"
#include "nn/linear.h"

namespace minidl::examples {

/// Sizes of GptModel.
struct GptModelOptions {
  int64_t context = 16;  ///< positions (the longest window it reads)
  int64_t layers = 2;    ///< transformer blocks
  int64_t heads = 4;     ///< attention heads per block
  int64_t width = 64;    ///< embedding width
};

class GptBlock;

/// Windows [N, T] (T <= context) -> logits [N, T, 27]; position t sees positions 0..t only.
class GptModel : public CharModel {
 public:
  /// Initializes every layer from `generator`.
  GptModel(const GptModelOptions& options, Generator& generator);
  Tensor forward(const Tensor& input) override;
  /// The attention weights of every block for windows [N, T], each averaged over the heads:
  /// [N, T, T], row t holding how much position t attends to positions 0..t.
  std::vector<Tensor> attention_weights(const Tensor& input);
  /// The last `context` symbols of `prefix`.
  std::vector<int64_t> window(const std::vector<int64_t>& prefix) const override;

 private:
  // The logits; appends each block's attention weights to `weights` when it is not null.
  Tensor run(const Tensor& input, std::vector<Tensor>* weights);

  GptModelOptions options_;
  std::shared_ptr<nn::Embedding> symbols_;
  std::shared_ptr<nn::Embedding> positions_;
  std::vector<std::shared_ptr<GptBlock>> blocks_;
  std::shared_ptr<nn::LayerNorm> final_norm_;
  std::shared_ptr<nn::Linear> output_;
};

}  // namespace minidl::examples
