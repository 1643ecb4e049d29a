// nn::Embedding and the `embedding` op: forward copies one weight row per index; backward adds
// each gradient row back onto the row it came from, skipping the padding row.
#include "nn/embedding.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"
#include "nn/init.h"

namespace minidl::nn {

inline namespace functional {

Tensor embedding(const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx) {
  MINIDL_CHECK(input.defined() && weight.defined(), "embedding: undefined input or weight");
  MINIDL_CHECK(weight.dim() == 2, "embedding: weight must be [num_embeddings, dim], got shape {}",
               weight.shape());
  const int64_t rows = weight.size(0);
  const int64_t width = weight.size(1);
  std::optional<int64_t> padding;
  if (padding_idx) {
    MINIDL_CHECK(*padding_idx >= -rows && *padding_idx < rows,
                 "embedding: padding_idx {} out of range for {} embeddings", *padding_idx, rows);
    padding = *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
  }
  std::vector<int64_t> positions;  // [n] one table row per input element
  positions.reserve(static_cast<size_t>(input.numel()));
  for (float value : input.to_vector()) {
    const FloatIndex checked = float_index(value, rows);
    MINIDL_CHECK(checked.whole, "embedding: index {} is not a whole number", value);
    MINIDL_CHECK(checked.in_range, "embedding: index {} out of range for {} embeddings", value,
                 rows);
    positions.push_back(checked.index);
  }
  Shape shape = input.shape();
  shape.push_back(width);
  Tensor out = Tensor::empty(shape, "embedding");     // [n, D]
  const Tensor table = weight.detach().contiguous();  // [rows, D]
  const float* w = table.data();
  float* o = out.data();
  for (size_t j = 0; j < positions.size(); ++j) {
    std::copy_n(w + positions[j] * width, width, o + static_cast<int64_t>(j) * width);
  }
  return autograd::record(
      "embedding", {weight}, out, [rows, width, positions, padding](const Tensor& grad_output) {
        Tensor grad = zeros({rows, width});                  // [rows, D]; repeated indices add up
        const Tensor g = grad_output.detach().contiguous();  // [n, D]
        const float* gs = g.data();
        float* gw = grad.data();
        for (size_t j = 0; j < positions.size(); ++j) {
          if (positions[j] == padding) continue;  // the padding row stays fixed
          const float* row = gs + static_cast<int64_t>(j) * width;
          float* target = gw + positions[j] * width;
          for (int64_t k = 0; k < width; ++k) target[k] += row[k];
        }
        return std::vector<Tensor>{grad};
      });
}

}  // namespace functional

Embedding::Embedding(const EmbeddingOptions& options, Generator& generator) : options_(options) {
  check(options.num_embeddings > 0 && options.embedding_dim > 0,
        "num_embeddings and embedding_dim must be positive");
  check(!options.padding_idx || (*options.padding_idx >= -options.num_embeddings &&
                                 *options.padding_idx < options.num_embeddings),
        "padding_idx must be in [-num_embeddings, num_embeddings)");
  if (options_.padding_idx && *options_.padding_idx < 0) {
    options_.padding_idx = *options_.padding_idx + options.num_embeddings;  // as PyTorch does
  }
  with_provenance([&] {
    register_parameter("weight", zeros({options.num_embeddings, options.embedding_dim}));
  });
  reset_parameters(generator);
}

void Embedding::reset_parameters(Generator& generator) {
  init::normal_(weight(), 0.0F, 1.0F, generator);
  if (options_.padding_idx) {
    NoGradGuard no_grad;
    weight().narrow(0, *options_.padding_idx, 1).zero_();
  }
}

Tensor Embedding::forward(const Tensor& input) {
  check(input.defined(), "the input is an undefined tensor");
  return with_provenance([&] { return embedding(input, weight(), options_.padding_idx); });
}

std::string Embedding::describe() const {
  return fmt::format(
      "Embedding(num_embeddings={}, embedding_dim={}{})", options_.num_embeddings,
      options_.embedding_dim,
      options_.padding_idx ? fmt::format(", padding_idx={}", *options_.padding_idx) : "");
}

}  // namespace minidl::nn
