#include "examples/char_lm/gpt_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "data/words.h"
#include "nn/activation.h"
#include "nn/attention.h"

namespace minidl::examples {

/// One pre-LayerNorm transformer block: x + attention(LayerNorm(x)), then x + MLP(LayerNorm(x)).
class GptBlock : public nn::Module {
 public:
  GptBlock(const GptModelOptions& options, Generator& generator) {
    const int64_t width = options.width;
    norm1_ = register_module("norm1", std::make_shared<nn::LayerNorm>(
                                          nn::LayerNormOptions{.normalized_shape = {width}}));
    attention_ = register_module(
        "attention",
        std::make_shared<nn::MultiheadAttention>(
            nn::MultiheadAttentionOptions{.embed_dim = width, .num_heads = options.heads},
            generator));
    norm2_ = register_module("norm2", std::make_shared<nn::LayerNorm>(
                                          nn::LayerNormOptions{.normalized_shape = {width}}));
    expand_ = register_module(
        "expand",
        std::make_shared<nn::Linear>(nn::LinearOptions{.in = width, .out = 4 * width}, generator));
    gelu_ = register_module("gelu", std::make_shared<nn::GELU>());
    project_ = register_module(
        "project",
        std::make_shared<nn::Linear>(nn::LinearOptions{.in = 4 * width, .out = width}, generator));
  }

  Tensor forward(const Tensor& input) override { return forward_with_weights(input).output; }

  /// The block's output and its attention weights averaged over the heads [N, T, T].
  nn::MultiheadAttentionOutput forward_with_weights(const Tensor& input) {
    const Tensor normed = (*norm1_)(input);
    nn::MultiheadAttentionOutput attended = attention_->forward(normed, normed, normed, {}, true);
    const Tensor x = input + attended.output;
    return {x + (*project_)((*gelu_)((*expand_)((*norm2_)(x)))), attended.attn_weights};
  }

 private:
  std::shared_ptr<nn::LayerNorm> norm1_;
  std::shared_ptr<nn::MultiheadAttention> attention_;
  std::shared_ptr<nn::LayerNorm> norm2_;
  std::shared_ptr<nn::Linear> expand_;
  std::shared_ptr<nn::GELU> gelu_;
  std::shared_ptr<nn::Linear> project_;
};

GptModel::GptModel(const GptModelOptions& options, Generator& generator) : options_(options) {
  const int64_t vocab = data::Words::kVocabSize;
  symbols_ = register_module(
      "symbols", std::make_shared<nn::Embedding>(
                     nn::EmbeddingOptions{.num_embeddings = vocab, .embedding_dim = options.width},
                     generator));
  positions_ = register_module(
      "positions",
      std::make_shared<nn::Embedding>(
          nn::EmbeddingOptions{.num_embeddings = options.context, .embedding_dim = options.width},
          generator));
  for (int64_t i = 0; i < options.layers; ++i) {
    blocks_.push_back(
        register_module(fmt::format("block{}", i), std::make_shared<GptBlock>(options, generator)));
  }
  final_norm_ = register_module(
      "final_norm",
      std::make_shared<nn::LayerNorm>(nn::LayerNormOptions{.normalized_shape = {options.width}}));
  output_ = register_module(
      "output", std::make_shared<nn::Linear>(nn::LinearOptions{.in = options.width, .out = vocab},
                                             generator));
}

Tensor GptModel::forward(const Tensor& input) { return run(input, nullptr); }

std::vector<Tensor> GptModel::attention_weights(const Tensor& input) {
  std::vector<Tensor> weights;
  run(input, &weights);
  return weights;
}

Tensor GptModel::run(const Tensor& input, std::vector<Tensor>* weights) {
  const int64_t length = input.shape()[1];
  check(length <= options_.context, "windows of at most {} symbols, got {}", options_.context,
        length);
  Tensor x = (*symbols_)(input) + (*positions_)(arange(static_cast<float>(length)));
  for (const auto& block : blocks_) {
    nn::MultiheadAttentionOutput out = block->forward_with_weights(x);
    x = out.output;
    if (weights != nullptr) weights->push_back(out.attn_weights);
  }
  return (*output_)((*final_norm_)(x));
}

std::vector<int64_t> GptModel::window(const std::vector<int64_t>& prefix) const {
  const size_t n = std::min(prefix.size(), static_cast<size_t>(options_.context));
  return {prefix.end() - static_cast<std::ptrdiff_t>(n), prefix.end()};
}

}  // namespace minidl::examples
