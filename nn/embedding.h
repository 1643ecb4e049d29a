// nn::Embedding and functional `embedding`: a lookup table mapping each index to a row of a
// learned weight [num_embeddings, embedding_dim]. Indices are float tensors holding whole
// numbers, like the class indices of cross_entropy and index_select.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/generator.h"
#include "nn/module.h"

namespace minidl::nn {

inline namespace functional {

/// The rows of `weight` [num_embeddings, D] at the whole-number indices of `input` (any shape):
/// output input.shape + [D]. Rows at `padding_idx` (negative counts from the end) get no
/// gradient; repeated indices add up their gradients.
Tensor embedding(const Tensor& input, const Tensor& weight,
                 std::optional<int64_t> padding_idx = std::nullopt);

}  // namespace functional

/// Options of Embedding.
struct EmbeddingOptions {
  int64_t num_embeddings = 0;            ///< size of the vocabulary (rows of the table)
  int64_t embedding_dim = 0;             ///< length of each vector
  std::optional<int64_t> padding_idx{};  ///< this row starts at zero and is never updated
};

/// Lookup table: input of whole-number indices [*] -> output [*, embedding_dim]. Parameter:
/// weight [num_embeddings, embedding_dim] drawn from N(0, 1), with the padding row (if any) set
/// to zero; the padding row receives no gradient.
class Embedding : public Module {
 public:
  /// Initializes the weight from `generator` (by default the default Generator).
  explicit Embedding(const EmbeddingOptions& options, Generator& generator = default_generator());

  Tensor forward(const Tensor& input) override;
  /// `Embedding(num_embeddings=27, embedding_dim=16)`, plus `padding_idx=0` when set.
  std::string describe() const override;

  /// Redraws the weight from N(0, 1) and zeroes the padding row.
  void reset_parameters(Generator& generator = default_generator());

  /// The options it was built with.
  const EmbeddingOptions& options() const { return options_; }
  /// The table [num_embeddings, embedding_dim].
  Tensor weight() const { return parameter("weight"); }

 private:
  EmbeddingOptions options_;
};

}  // namespace minidl::nn
