// nn::MultiheadAttention: scaled dot-product attention over several heads (Vaswani et al. 2017),
// batch-first, with libtorch's parameters (one in_proj [3E, E] for query, key and value, and an
// out_proj Linear). Written with existing ops (linear, matmul, softmax, masked_fill, dropout):
// it records no op of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/generator.h"
#include "nn/linear.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of MultiheadAttention.
struct MultiheadAttentionOptions {
  int64_t embed_dim = 0;  ///< E, the width of query, key, value and output
  int64_t num_heads = 0;  ///< H; each head attends with width E / H (E must divide by H)
  float dropout = 0.0F;   ///< dropout probability on the attention weights in training, in [0, 1)
  bool bias = true;       ///< in_proj_bias [3E] and out_proj's bias
};

/// The output [N, T, E] and the attention weights averaged over the heads [N, T, S].
struct MultiheadAttentionOutput {
  Tensor output;
  Tensor attn_weights;
};

/// Multi-head attention on batch-first inputs: query [N, T, E], key and value [N, S, E].
/// Each head h computes softmax(Q_h K_h^T / sqrt(E / H) + attn_mask) V_h; the heads are joined
/// and projected by out_proj. attn_mask, if given, is an additive float mask [T, S] (0 to allow,
/// -infinity to forbid; boolean masks are written as 0 / -infinity); is_causal forbids every
/// key position s > t. The returned weights are those multiplied with V (after dropout, as in
/// PyTorch with need_weights and average_attn_weights). Init as PyTorch: in_proj_weight
/// xavier_uniform, biases zero, out_proj.weight as Linear.
class MultiheadAttention : public Module {
 public:
  /// Initializes the parameters, and seeds the dropout Generator, from `generator`.
  explicit MultiheadAttention(const MultiheadAttentionOptions& options,
                              Generator& generator = default_generator());

  using Module::forward;
  /// Attention of `query` over `key` / `value`; see the class comment for shapes and masks.
  MultiheadAttentionOutput forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                   const Tensor& attn_mask = {}, bool is_causal = false);
  /// `MultiheadAttention(embed_dim=64, num_heads=4)`, plus dropout and `bias=false` if set.
  std::string describe() const override;

  /// The options it was built with.
  const MultiheadAttentionOptions& options() const { return options_; }
  /// The stacked query, key and value projections [3E, E].
  Tensor in_proj_weight() const { return parameter("in_proj_weight"); }
  /// Their biases [3E] (undefined when options.bias is false).
  Tensor in_proj_bias() const { return find_parameter("in_proj_bias"); }
  /// The output projection E -> E.
  Linear& out_proj() { return *out_proj_; }

 private:
  MultiheadAttentionOptions options_;
  std::shared_ptr<Linear> out_proj_;
  std::shared_ptr<Generator> generator_;
};

}  // namespace minidl::nn
