// The layers of sequence models: GELU, Embedding, LayerNorm and Dropout on any shape, against
// values from PyTorch's formulas (reference numbers computed with torch 2.x on the CPU and pasted
// here), with their gradients checked through the module (input and every parameter).
#include <doctest/doctest.h>

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

}  // namespace
}  // namespace minidl
