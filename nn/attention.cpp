// nn::MultiheadAttention. Legend: N batch, T query positions, S key positions, E width,
// H heads, D = E / H per head.
#include "nn/attention.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/factories.h"
#include "core/grad_mode.h"
#include "core/ops/arithmetic.h"
#include "core/ops/compare.h"
#include "core/ops/matmul.h"
#include "core/ops/reduction.h"
#include "core/ops/softmax.h"
#include "nn/functional.h"
#include "nn/init.h"

namespace minidl::nn {

MultiheadAttention::MultiheadAttention(const MultiheadAttentionOptions& options,
                                       Generator& generator)
    : options_(options) {
  check(options.embed_dim > 0 && options.num_heads > 0, "embed_dim and num_heads must be positive");
  check(options.embed_dim % options.num_heads == 0, "embed_dim {} must divide by num_heads {}",
        options.embed_dim, options.num_heads);
  check(options.dropout >= 0.0F && options.dropout < 1.0F, "dropout must be in [0, 1), got {}",
        options.dropout);
  const int64_t width = options.embed_dim;
  with_provenance([&] {
    register_parameter("in_proj_weight", zeros({3 * width, width}));
    if (options.bias) register_parameter("in_proj_bias", zeros({3 * width}));
  });
  init::xavier_uniform_(in_proj_weight(), 1.0, generator);
  out_proj_ = register_module(
      "out_proj", std::make_shared<Linear>(
                      LinearOptions{.in = width, .out = width, .bias = options.bias}, generator));
  if (options.bias) init::zeros_(out_proj_->bias());
  generator_ = register_generator("generator", std::make_shared<Generator>(generator.next()));
}

MultiheadAttentionOutput MultiheadAttention::forward(const Tensor& query, const Tensor& key,
                                                     const Tensor& value, const Tensor& attn_mask,
                                                     bool is_causal) {
  const int64_t width = options_.embed_dim;
  const int64_t heads = options_.num_heads;
  check(query.defined() && key.defined() && value.defined(),
        "query, key and value must be defined tensors");
  check(query.dim() == 3 && query.size(2) == width,
        "expected query of shape [N, T, {}], got shape {}", width, query.shape());
  check(key.dim() == 3 && key.shape() == value.shape() && key.size(0) == query.size(0) &&
            key.size(2) == width,
        "expected key and value of one shape [{}, S, {}], got shapes {} and {}", query.size(0),
        width, key.shape(), value.shape());
  const int64_t batch = query.size(0);
  const int64_t targets = query.size(1);  // T
  const int64_t sources = key.size(1);    // S
  if (attn_mask.defined()) {
    check(attn_mask.shape() == Shape{targets, sources},
          "expected attn_mask of shape [{}, {}] (T, S), got shape {}", targets, sources,
          attn_mask.shape());
  }
  check(!is_causal || targets == sources,
        "is_causal needs as many query as key positions, got T = {} and S = {}", targets, sources);
  return with_provenance([&] {
    const int64_t head_width = width / heads;  // D
    const Tensor weight = in_proj_weight();
    const Tensor bias = in_proj_bias();
    // One projection per role, each split into heads: [N, L, E] -> [N, H, L, D].
    auto project = [&](const Tensor& input, int64_t role) {
      const Tensor part_bias = bias.defined() ? bias.narrow(0, role * width, width) : Tensor();
      const Tensor projected = linear(input, weight.narrow(0, role * width, width), part_bias);
      return projected.reshape({batch, input.size(1), heads, head_width}).permute({0, 2, 1, 3});
    };
    const float scale = 1.0F / std::sqrt(static_cast<float>(head_width));
    const Tensor q = mul(project(query, 0), scale);  // [N, H, T, D]
    const Tensor k = project(key, 1);                // [N, H, S, D]
    const Tensor v = project(value, 2);              // [N, H, S, D]
    Tensor scores = matmul(q, k.transpose(2, 3));    // [N, H, T, S]
    if (attn_mask.defined()) scores = add(scores, attn_mask);
    if (is_causal) {
      Tensor future = zeros({targets, sources});  // 1 where the key comes after the query
      for (int64_t t = 0; t + 1 < sources; ++t) {
        future.narrow(0, t, 1).narrow(1, t + 1, sources - t - 1).fill_(1.0F);
      }
      scores = masked_fill(scores, future, -std::numeric_limits<float>::infinity());
    }
    const Tensor weights =
        dropout(softmax(scores, -1), options_.dropout, is_training(), *generator_);
    const Tensor context = matmul(weights, v)  // [N, H, T, D] -> [N, T, E]
                               .permute({0, 2, 1, 3})
                               .reshape({batch, targets, width});
    return MultiheadAttentionOutput{(*out_proj_)(context), mean(weights, {1})};
  });
}

std::string MultiheadAttention::describe() const {
  return fmt::format("MultiheadAttention(embed_dim={}, num_heads={}{}{})", options_.embed_dim,
                     options_.num_heads,
                     options_.dropout > 0.0F ? fmt::format(", dropout={}", options_.dropout) : "",
                     options_.bias ? "" : ", bias=false");
}

}  // namespace minidl::nn
