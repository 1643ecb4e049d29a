// Dropout and BatchNorm: behaviour in training and in eval mode, running statistics, and
// gradients.
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;
using minidl::testing::check_module_gradients;
using minidl::testing::leaf;

TEST_CASE("Dropout in eval mode returns its input unchanged") {
  nn::Dropout dropout({.p = 0.5F});
  dropout.eval();
  Generator generator(2);
  Tensor x = randn({4, 5}, generator);
  CHECK(dropout(x).to_vector() == x.to_vector());
}

TEST_CASE("Dropout in training zeroes about p of the elements and scales the rest") {
  nn::Dropout dropout({.p = 0.3F});
  std::vector<float> y = dropout(ones({20000})).to_vector();
  int zeros_seen = 0;
  for (float value : y) {
    if (value == 0.0F) {
      ++zeros_seen;
    } else {
      CHECK(value == doctest::Approx(1.0 / 0.7));
    }
  }
  CHECK(static_cast<double>(zeros_seen) / 20000.0 == doctest::Approx(0.3).epsilon(0.05));
}

TEST_CASE("Dropout masks are reproducible after manual_seed, differ between layers and calls") {
  Tensor x = ones({64});
  manual_seed(42);
  nn::Dropout first({.p = 0.5F});
  nn::Dropout second({.p = 0.5F});
  const std::vector<float> a = first(x).to_vector();
  CHECK(a != second(x).to_vector());  // each layer is seeded by its own draw
  CHECK(a != first(x).to_vector());   // and draws a new mask every call
  manual_seed(42);
  nn::Dropout again({.p = 0.5F});
  CHECK(again(x).to_vector() == a);
  Generator seeds(7);  // a layer can also be seeded from a Generator of its own
  Generator same_seeds(7);
  CHECK(nn::Dropout({.p = 0.5F}, seeds)(x).to_vector() ==
        nn::Dropout({.p = 0.5F}, same_seeds)(x).to_vector());
}

TEST_CASE("Dropout passes gradients only through the kept elements, scaled") {
  nn::Dropout dropout({.p = 0.25F});
  Tensor x = ones({100}).requires_grad_();
  Tensor y = dropout(x);
  y.sum().backward();
  check_close(x.grad(), y.to_vector());  // y = mask * 1, and dy/dx = mask
}

TEST_CASE("Dropout with p = 0 is the identity and with p = 1 gives zeros") {
  Tensor x = from_vector({1, -2, 3});
  CHECK(nn::Dropout({.p = 0.0F})(x).to_vector() == x.to_vector());
  CHECK(nn::Dropout({.p = 1.0F})(x).to_vector() == std::vector<float>{0, 0, 0});
  CHECK(nn::Dropout({.p = 0.2F}).describe() == "Dropout(p=0.2)");
}

TEST_CASE("Dropout gradients match finite differences for a fixed mask") {
  auto fn = [](const std::vector<Tensor>& v) {
    Generator seeds(11);
    nn::Dropout dropout({.p = 0.4F}, seeds);  // a fresh layer, same seed: the same mask
    return dropout(v[0]);
  };
  GradcheckResult result = gradcheck(fn, {leaf({3, 4}, 81)});
  INFO(result.message);
  CHECK(result.ok);
}

TEST_CASE("BatchNorm1d in training normalizes each feature with the batch statistics") {
  nn::BatchNorm1d norm({.features = 2});
  // feature 0: 1, 2, 3, 4 (mean 2.5, biased var 1.25); feature 1: 10, 10, 10, 14 (mean 11, var 3)
  Tensor x = from_vector({1, 10, 2, 10, 3, 10, 4, 14}, {4, 2});
  Tensor y = norm(x);
  const float s0 = std::sqrt(1.25F + 1e-5F);
  const float s1 = std::sqrt(3.0F + 1e-5F);
  check_close(y, {-1.5F / s0, -1 / s1, -0.5F / s0, -1 / s1, 0.5F / s0, -1 / s1, 1.5F / s0, 3 / s1},
              1e-4F);
}

TEST_CASE("BatchNorm updates running statistics with momentum and the unbiased variance") {
  nn::BatchNorm1d norm({.features = 2, .momentum = 0.1F});
  Tensor x = from_vector({1, 10, 2, 10, 3, 10, 4, 14}, {4, 2});
  norm(x);
  check_close(norm.running_mean(), {0.25F, 1.1F});
  // unbiased variances 5/3 and 4
  check_close(norm.running_var(), {0.9F + 0.1F * 5.0F / 3.0F, 0.9F + 0.4F});
  norm(x);
  check_close(norm.running_mean(), {0.9F * 0.25F + 0.25F, 0.9F * 1.1F + 1.1F});
}

TEST_CASE("BatchNorm in eval mode uses the running statistics and leaves them alone") {
  nn::BatchNorm1d norm({.features = 2});
  {
    NoGradGuard no_grad;
    norm.running_mean().copy_(from_vector({1, -1}));
    norm.running_var().copy_(from_vector({4, 0.25F}));
    norm.weight().copy_(from_vector({2, 1}));
    norm.bias().copy_(from_vector({0.5F, 0}));
  }
  norm.eval();
  Tensor y = norm(from_vector({3, 0, 5, -2}, {2, 2}));
  const float s0 = std::sqrt(4.0F + 1e-5F);
  const float s1 = std::sqrt(0.25F + 1e-5F);
  check_close(y, {2 * 2 / s0 + 0.5F, 1 / s1, 2 * 4 / s0 + 0.5F, -1 / s1}, 1e-4F);
  CHECK(norm.running_mean().to_vector() == std::vector<float>{1, -1});
  CHECK(norm.running_var().to_vector() == std::vector<float>{4, 0.25F});
}

TEST_CASE("BatchNorm2d normalizes over batch and space, per channel") {
  nn::BatchNorm2d norm({.features = 3});
  Generator generator(6);
  Tensor y = norm(add(mul(randn({4, 3, 5, 5}, generator), 3.0F), 7.0F));
  CHECK(y.shape() == Shape{4, 3, 5, 5});
  Tensor means = mean(y, {0, 2, 3});
  Tensor variances = var(y, {0, 2, 3}, false, 0);
  for (float value : means.to_vector()) CHECK(value == doctest::Approx(0.0).epsilon(1e-4));
  for (float value : variances.to_vector()) CHECK(value == doctest::Approx(1.0).epsilon(1e-3));
}

TEST_CASE("BatchNorm1d accepts [N, C, L] inputs and affine=false has only buffers") {
  nn::BatchNorm1d norm({.features = 2, .affine = false});
  CHECK(norm.parameters().empty());
  CHECK(norm.buffers().size() == 2);
  CHECK(norm.describe() == "BatchNorm1d(features=2, eps=1e-05, momentum=0.1, affine=false)");
  Generator generator(7);
  CHECK(norm(randn({3, 2, 4}, generator)).shape() == Shape{3, 2, 4});
}

TEST_CASE("BatchNorm in training needs more than one value per channel") {
  nn::BatchNorm1d norm({.features = 2});
  CHECK_THROWS_WITH_AS(norm(ones({1, 2})), doctest::Contains("more than one value per channel"),
                       Error);
  norm.eval();
  CHECK(norm(ones({1, 2})).shape() == Shape{1, 2});
}

TEST_CASE("BatchNorm gradients match finite differences in training and eval") {
  nn::BatchNorm1d norm1d({.features = 3});
  check_module_gradients(norm1d, leaf({5, 3}, 91));
  nn::BatchNorm2d norm2d({.features = 2});
  check_module_gradients(norm2d, leaf({2, 2, 3, 2}, 92));
  norm2d.eval();
  check_module_gradients(norm2d, leaf({2, 2, 3, 2}, 93));
}

TEST_CASE("batch_norm splits channels across threads and gives the bits of one thread") {
  // [4, 16, 32, 32]: 4096 values per channel, so 2 threads take 8 channels each.
  Generator generator(5);
  const Tensor x = randn({4, 16, 32, 32}, generator);
  const Tensor w = uniform({16}, 0.5F, 1.5F, generator);
  const Tensor b = randn({16}, generator);
  const Tensor g = randn({4, 16, 32, 32}, generator);
  auto run = [&](int64_t threads, int64_t& splits) {
    set_num_threads(threads);
    std::vector<Tensor> leaves{x.clone().requires_grad_(), w.clone().requires_grad_(),
                               b.clone().requires_grad_()};
    const int64_t before = parallel_split_count();
    Tensor y = nn::batch_norm(leaves[0], {}, {}, leaves[1], leaves[2], true, 0.1F, 1e-5F);
    y.backward(g);
    splits = parallel_split_count() - before;
    return std::vector<std::vector<float>>{y.to_vector(), leaves[0].grad().to_vector(),
                                           leaves[1].grad().to_vector(),
                                           leaves[2].grad().to_vector()};
  };
  int64_t one_thread_splits = 0;
  int64_t two_thread_splits = 0;
  const auto alone = run(1, one_thread_splits);
  const auto split = run(2, two_thread_splits);
  CHECK(one_thread_splits == 0);
  CHECK(two_thread_splits >= 3);  // statistics, normalization, backward
  CHECK(alone == split);
  set_num_threads(2);
}
