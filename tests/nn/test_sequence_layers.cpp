// The layers of sequence models: GELU, Embedding, LayerNorm, MultiheadAttention and Dropout on
// any shape, against
// values from PyTorch's formulas (reference numbers computed with torch 2.x on the CPU and pasted
// here), with their gradients checked through the module (input and every parameter).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "minidl.h"
#include "nn_test_helpers.h"

namespace minidl {
namespace {

using testing::check_close;
using testing::check_module_gradients;

// x = [-2, -0.5, 0, 0.7, 3]: torch.nn.functional.gelu(x) and gelu(x, approximate='tanh').
const std::vector<float> kGeluInput{-2.0F, -0.5F, 0.0F, 0.7F, 3.0F};

TEST_CASE("GELU matches PyTorch in its exact form") {
  check_close(nn::GELU()(from_vector(kGeluInput)),
              {-0.0455001F, -0.1542688F, 0.0F, 0.5306255F, 2.9959502F});
}

TEST_CASE("GELU matches PyTorch in its tanh form") {
  check_close(nn::GELU({.approximate = "tanh"})(from_vector(kGeluInput)),
              {-0.0454023F, -0.1542860F, 0.0F, 0.5305701F, 2.9963627F});
}

TEST_CASE("GELU describes its form and refuses unknown ones") {
  CHECK(nn::GELU({.approximate = "tanh"}).describe() == "GELU(approximate=tanh)");
  CHECK_THROWS_AS(nn::GELU({.approximate = "fast"}), Error);
  CHECK_THROWS_AS(nn::gelu(ones({2}), "erf"), Error);
}

TEST_CASE("Embedding looks up one row per index and keeps the index shape") {
  nn::Embedding embedding({.num_embeddings = 4, .embedding_dim = 2});
  {
    NoGradGuard no_grad;
    embedding.weight().copy_(from_vector({0, 1, 10, 11, 20, 21, 30, 31}, {4, 2}));
  }
  Tensor out = embedding(from_vector({3, 0, 2, 2, 1, 0}, {2, 3}));
  CHECK(out.shape() == Shape{2, 3, 2});
  CHECK(out.to_vector() == std::vector<float>{30, 31, 0, 1, 20, 21, 20, 21, 10, 11, 0, 1});
}

TEST_CASE("Embedding weights are N(0, 1) with the padding row zeroed") {
  Generator generator(16);
  nn::Embedding embedding({.num_embeddings = 200, .embedding_dim = 50, .padding_idx = -1},
                          generator);
  CHECK(embedding.options().padding_idx == 199);  // negative padding_idx counts from the end
  Tensor weight = embedding.weight().detach();
  CHECK(weight.narrow(0, 199, 1).to_vector() == std::vector<float>(50, 0.0F));
  Tensor rest = weight.narrow(0, 0, 199);
  CHECK(mean(rest).item() == doctest::Approx(0.0).epsilon(0.03));
  CHECK(var(rest).item() == doctest::Approx(1.0).epsilon(0.05));
}

TEST_CASE("Embedding gradients add up over repeated indices and skip the padding row") {
  nn::Embedding embedding({.num_embeddings = 3, .embedding_dim = 2, .padding_idx = 0});
  Tensor out = embedding(from_vector({0, 1, 1, 2, 0}));
  mul(out, from_vector({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {5, 2})).sum().backward();
  CHECK(embedding.weight().grad().to_vector() == std::vector<float>{0, 0, 8, 10, 7, 8});
}

// x = [[1, 2, 4], [-1, 0.5, 3]], weight [0.5, 1, 2], bias [0.1, -0.2, 0.3], eps 1e-5:
// torch.nn.functional.layer_norm(x, [3], w, b); backward of sum(y * [[1, 2, 3], [-1, 0.5, 2]]).
TEST_CASE("LayerNorm matches PyTorch forward and backward") {
  nn::LayerNorm norm({.normalized_shape = {3}});
  {
    NoGradGuard no_grad;
    norm.weight().copy_(from_vector({0.5F, 1.0F, 2.0F}));
    norm.bias().copy_(from_vector({0.1F, -0.2F, 0.3F}));
  }
  Tensor x = from_vector({1.0F, 2.0F, 4.0F, -1.0F, 0.5F, 3.0F}, {2, 3}).requires_grad_();
  Tensor y = norm(x);
  check_close(y, {-0.4345207F, -0.4672603F, 2.9726036F, -0.4555829F, -0.4020302F, 2.9263918F});
  mul(y, from_vector({1.0F, 2.0F, 3.0F, -1.0F, 0.5F, 2.0F}, {2, 3})).sum().backward();
  check_close(x.grad(), {0.1145269F, -0.1718136F, 0.0572861F, 0.1700716F, -0.2721231F, 0.1020515F},
              1e-4F);
  check_close(norm.weight().grad(), {0.0421244F, -0.6355357F, 6.6352973F}, 1e-4F);
  check_close(norm.bias().grad(), {0.0F, 2.5F, 5.0F});
}

TEST_CASE("LayerNorm normalizes over the last two dims to mean 0 and variance 1") {
  nn::LayerNorm norm({.normalized_shape = {2, 3}, .elementwise_affine = false});
  CHECK(norm.parameters().empty());
  Generator generator(3);
  Tensor y = norm(uniform({4, 2, 3}, -5.0F, 5.0F, generator));
  check_close(mean(y, {1, 2}), std::vector<float>(4, 0.0F), 1e-5F);
  check_close(var(y, {1, 2}, false, 0), std::vector<float>(4, 1.0F), 1e-3F);
}

TEST_CASE("LayerNorm gradcheck of input, weight and bias through the module") {
  nn::LayerNorm norm({.normalized_shape = {4}});
  {
    NoGradGuard no_grad;
    Generator generator(5);
    norm.weight().copy_(uniform({4}, 0.5F, 1.5F, generator));
    norm.bias().copy_(uniform({4}, -1.0F, 1.0F, generator));
  }
  Generator generator(6);
  check_module_gradients(norm, uniform({2, 3, 4}, -1.0F, 1.0F, generator));
  CHECK(norm.describe() == "LayerNorm(normalized_shape=[4], eps=1e-05)");
}

TEST_CASE("Dropout works on inputs of any shape") {
  for (const Shape& shape : {Shape{}, Shape{0, 3}, Shape{7}, Shape{2, 3, 4, 5}}) {
    nn::Dropout dropout({.p = 0.5F});
    Tensor y = dropout(ones(shape));
    CHECK(y.shape() == shape);
    for (float value : y.to_vector()) CHECK((value == 0.0F || value == 2.0F));
  }
  nn::Dropout dropout({.p = 0.5F});
  Tensor transposed = ones({3, 4}).transpose(0, 1);
  CHECK(dropout(transposed).shape() == Shape{4, 3});
}

// A tensor of `shape` filled with f(0), f(1), ... in row-major order.
template <class F>
Tensor sequence(const Shape& shape, F f) {
  std::vector<float> values(static_cast<size_t>(numel_of(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(f(double(i)));
  return from_vector(values, shape);
}

// E = 4, H = 2 with the same fixed weights as the PyTorch reference (torch.nn.MultiheadAttention(4,
// 2, batch_first=True), in_proj_weight[i] = 0.5 sin(0.7 i + 0.3), in_proj_bias[i] =
// 0.1 cos(1.3 i), out_proj.weight[i] = 0.4 sin(0.9 i + 1.1), out_proj.bias[i] = 0.05 (i - 1.5)).
void set_reference_weights(nn::MultiheadAttention& attention) {
  NoGradGuard no_grad;
  attention.in_proj_weight().copy_(
      sequence({12, 4}, [](double i) { return 0.5 * std::sin(0.7 * i + 0.3); }));
  attention.in_proj_bias().copy_(sequence({12}, [](double i) { return 0.1 * std::cos(1.3 * i); }));
  attention.out_proj().weight().copy_(
      sequence({4, 4}, [](double i) { return 0.4 * std::sin(0.9 * i + 1.1); }));
  attention.out_proj().bias().copy_(sequence({4}, [](double i) { return 0.05 * (i - 1.5); }));
}

Tensor ramp(const Shape& shape, double step, double phase) {
  return sequence(shape, [=](double i) { return std::sin(step * i + phase); });
}

TEST_CASE("MultiheadAttention with an additive mask matches PyTorch") {
  nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2});
  set_reference_weights(attention);
  Tensor query = ramp({2, 2, 4}, 0.37, 0.0);
  Tensor key = sequence({2, 3, 4}, [](double i) { return std::cos(0.23 * i + 0.5); });
  Tensor value = ramp({2, 3, 4}, 0.51, -0.2);
  const float inf = std::numeric_limits<float>::infinity();
  Tensor mask = from_vector({0.0F, -1.0F, 0.5F, 0.2F, 0.0F, -inf}, {2, 3});
  auto [output, weights] = attention.forward(query, key, value, mask);
  CHECK(output.shape() == Shape{2, 2, 4});
  CHECK(weights.shape() == Shape{2, 2, 3});
  check_close(output,
              {0.1812357F, -0.2749123F, 0.2169863F, -0.0194183F, -0.2013663F, 0.1721007F,
               -0.2021371F, 0.2852736F, 0.1775387F, -0.2630987F, 0.1994953F, 0.0001385F,
               -0.2059826F, 0.1732720F, -0.1996215F, 0.2795905F},
              1e-5F);
  check_close(weights,
              {0.1592953F, 0.0886204F, 0.7520843F, 0.4788170F, 0.5211831F, 0.0F, 0.1959094F,
               0.0902492F, 0.7138414F, 0.5014426F, 0.4985574F, 0.0F},
              1e-5F);
}

TEST_CASE("MultiheadAttention with is_causal matches PyTorch's square subsequent mask") {
  nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2});
  set_reference_weights(attention);
  Tensor x = ramp({1, 3, 4}, 0.37, 0.0);
  auto [output, weights] = attention.forward(x, x, x, {}, true);
  check_close(output,
              {-0.2746569F, 0.2516896F, -0.2715907F, 0.3302507F, -0.2821144F, 0.2606192F,
               -0.2801484F, 0.3366697F, -0.2347782F, 0.1674631F, -0.1604075F, 0.2150684F},
              1e-5F);
  check_close(weights,
              {1.0F, 0.0F, 0.0F, 0.6741654F, 0.3258346F, 0.0F, 0.2374724F, 0.4771291F, 0.2853984F},
              1e-5F);
}

TEST_CASE("MultiheadAttention with is_causal lets no position see the future") {
  Generator generator(21);
  nn::MultiheadAttention attention({.embed_dim = 8, .num_heads = 2}, generator);
  Tensor x = uniform({2, 5, 8}, -1.0F, 1.0F, generator);
  Tensor changed = x.clone();
  {
    NoGradGuard no_grad;
    changed.narrow(1, 3, 2).copy_(uniform({2, 2, 8}, -1.0F, 1.0F, generator));  // positions 3, 4
  }
  Tensor before = attention.forward(x, x, x, {}, true).output;
  Tensor after = attention.forward(changed, changed, changed, {}, true).output;
  CHECK(before.narrow(1, 0, 3).to_vector() == after.narrow(1, 0, 3).to_vector());
  CHECK(before.narrow(1, 3, 2).to_vector() != after.narrow(1, 3, 2).to_vector());
}

TEST_CASE("MultiheadAttention init follows PyTorch and dropout acts on the weights in training") {
  nn::MultiheadAttention attention({.embed_dim = 6, .num_heads = 3, .dropout = 0.5F});
  CHECK(attention.in_proj_weight().shape() == Shape{18, 6});
  CHECK(attention.in_proj_bias().to_vector() == std::vector<float>(18, 0.0F));
  CHECK(attention.out_proj().bias().to_vector() == std::vector<float>(6, 0.0F));
  const float bound = std::sqrt(6.0F / (18.0F + 6.0F));  // xavier_uniform of [3E, E]
  for (float w : attention.in_proj_weight().to_vector()) CHECK(std::fabs(w) <= bound);
  Tensor x = ones({1, 4, 6});
  Tensor trained = attention.forward(x, x, x).attn_weights;  // rows sum to 1 / (1 - p) or drop
  attention.eval();
  check_close(attention.forward(x, x, x).attn_weights, std::vector<float>(16, 0.25F));
  CHECK(trained.to_vector() != std::vector<float>(16, 0.25F));
  CHECK(attention.describe() == "MultiheadAttention(embed_dim=6, num_heads=3, dropout=0.5)");
}

TEST_CASE("MultiheadAttention gradcheck of query, key, value and every parameter") {
  Generator generator(22);
  nn::MultiheadAttention attention({.embed_dim = 4, .num_heads = 2}, generator);
  {
    NoGradGuard no_grad;  // non-zero biases, so that their gradients are exercised
    attention.in_proj_bias().copy_(uniform({12}, -0.5F, 0.5F, generator));
    attention.out_proj().bias().copy_(uniform({4}, -0.5F, 0.5F, generator));
  }
  const std::vector<nn::NamedTensor> originals = attention.named_parameters();
  std::vector<Tensor> inputs{uniform({2, 3, 4}, -1.0F, 1.0F, generator).requires_grad_(),
                             uniform({2, 2, 4}, -1.0F, 1.0F, generator).requires_grad_(),
                             uniform({2, 2, 4}, -1.0F, 1.0F, generator).requires_grad_()};
  for (const auto& [name, parameter] : originals) {
    inputs.push_back(parameter.detach().clone().requires_grad_());
  }
  Tensor mask = from_vector({0.0F, -0.5F, 0.3F, 0.0F, -1.0F, 0.2F}, {3, 2});
  auto fn = [&](const std::vector<Tensor>& leaves) {
    for (size_t i = 0; i < originals.size(); ++i) {
      attention.set_parameter(originals[i].first, leaves[i + 3]);
    }
    auto [output, weights] = attention.forward(leaves[0], leaves[1], leaves[2], mask);
    return add(output.sum(), mul(weights, weights).sum());
  };
  const GradcheckResult result = gradcheck(fn, inputs);
  for (const auto& [name, parameter] : originals) attention.set_parameter(name, parameter);
  INFO(result.message);
  CHECK(result.ok);
}

}  // namespace
}  // namespace minidl
