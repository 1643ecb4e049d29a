// SGD: three steps on θ0 = [1, -2] with fixed gradients g1 = [0.5, -1], g2 = [-0.25, 2],
// g3 = [1, 0.5], against values worked out by hand from the formulas in optim/sgd.h.
#include <doctest/doctest.h>

#include "optim/sgd.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

TEST_CASE("SGD without momentum: theta -= lr * g") {
  // η = 0.1
  // t=1: θ = [1, -2]     - 0.1·[0.5, -1]   = [0.95, -1.9]
  // t=2: θ = [0.95, -1.9] - 0.1·[-0.25, 2] = [0.975, -2.1]
  // t=3: θ = [0.975, -2.1] - 0.1·[1, 0.5]  = [0.875, -2.15]
  check_three_steps([](std::vector<Tensor> params) { return SGD(params, {.lr = 0.1}); },
                    {{0.95, -1.9}, {0.975, -2.1}, {0.875, -2.15}});
}

TEST_CASE("SGD weight decay adds lambda * theta to the gradient") {
  // η = 0.1, λ = 0.1: g' = g + 0.1 θ
  // t=1: g' = [0.5 + 0.1, -1 - 0.2] = [0.6, -1.2];             θ = [0.94, -1.88]
  // t=2: g' = [-0.25 + 0.094, 2 - 0.188] = [-0.156, 1.812];    θ = [0.9556, -2.0612]
  // t=3: g' = [1 + 0.09556, 0.5 - 0.20612] = [1.09556, 0.29388]; θ = [0.846044, -2.090588]
  check_three_steps(
      [](std::vector<Tensor> params) { return SGD(params, {.lr = 0.1, .weight_decay = 0.1}); },
      {{0.94, -1.88}, {0.9556, -2.0612}, {0.846044, -2.090588}});
}

TEST_CASE("SGD heavy-ball momentum: v = mu v + g, theta -= lr v") {
  // η = 0.1, μ = 0.9, v0 = 0
  // t=1: v = [0.5, -1];                                  θ = [1, -2] - 0.1 v = [0.95, -1.9]
  // t=2: v = 0.9·[0.5, -1] + [-0.25, 2] = [0.2, 1.1];    θ = [0.93, -2.01]
  // t=3: v = 0.9·[0.2, 1.1] + [1, 0.5] = [1.18, 1.49];  θ = [0.812, -2.159]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params, {.lr = 0.1, .momentum = 0.9, .momentum_form = MomentumForm::HeavyBall});
      },
      {{0.95, -1.9}, {0.93, -2.01}, {0.812, -2.159}});
}

TEST_CASE("SGD moving-average momentum: v = beta v + (1 - beta) g, theta -= lr v") {
  // η = 0.1, β = 0.9, v0 = 0
  // t=1: v = 0.1·[0.5, -1] = [0.05, -0.1];                         θ = [0.995, -1.99]
  // t=2: v = 0.9·[0.05, -0.1] + 0.1·[-0.25, 2] = [0.02, 0.11];      θ = [0.993, -2.001]
  // t=3: v = 0.9·[0.02, 0.11] + 0.1·[1, 0.5] = [0.118, 0.149];      θ = [0.9812, -2.0159]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params,
                   {.lr = 0.1, .momentum = 0.9, .momentum_form = MomentumForm::MovingAverage});
      },
      {{0.995, -1.99}, {0.993, -2.001}, {0.9812, -2.0159}});
}

TEST_CASE("SGD lr-inside momentum: v = gamma v + lr g, theta -= v") {
  // η = 0.1, γ = 0.9, v0 = 0
  // t=1: v = 0.1·[0.5, -1] = [0.05, -0.1];                          θ = [0.95, -1.9]
  // t=2: v = 0.9·[0.05, -0.1] + 0.1·[-0.25, 2] = [0.02, 0.11];       θ = [0.93, -2.01]
  // t=3: v = 0.9·[0.02, 0.11] + 0.1·[1, 0.5] = [0.118, 0.149];       θ = [0.812, -2.159]
  // (the same path as heavy-ball while η is constant: v_lr_inside = η v_heavy_ball)
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params, {.lr = 0.1, .momentum = 0.9, .momentum_form = MomentumForm::LrInside});
      },
      {{0.95, -1.9}, {0.93, -2.01}, {0.812, -2.159}});
}

TEST_CASE("SGD heavy-ball momentum with weight decay uses the decayed gradient in v") {
  // η = 0.1, μ = 0.9, λ = 0.1
  // t=1: g' = [0.6, -1.2];            v = [0.6, -1.2];                 θ = [0.94, -1.88]
  // t=2: g' = [-0.156, 1.812];        v = [0.384, 0.732];              θ = [0.9016, -1.9532]
  // t=3: g' = [1.09016, 0.30468];     v = [1.43576, 0.96348];          θ = [0.758024, -2.049548]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params, {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.1});
      },
      {{0.94, -1.88}, {0.9016, -1.9532}, {0.758024, -2.049548}});
}

TEST_CASE("SGD Nesterov heavy-ball: theta -= lr (g + mu v)") {
  // η = 0.1, μ = 0.9; v as in the heavy-ball case
  // t=1: v = [0.5, -1];    θ = [1, -2] - 0.1·([0.5, -1] + 0.9·[0.5, -1]) = [0.905, -1.81]
  // t=2: v = [0.2, 1.1];   θ = [0.905, -1.81] - 0.1·([-0.25, 2] + [0.18, 0.99]) = [0.912, -2.109]
  // t=3: v = [1.18, 1.49]; θ = [0.912, -2.109] - 0.1·([1, 0.5] + [1.062, 1.341]) = [0.7058, -2.2931]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
      },
      {{0.905, -1.81}, {0.912, -2.109}, {0.7058, -2.2931}});
}

TEST_CASE("SGD Nesterov moving-average: theta -= lr (beta v + (1 - beta) g)") {
  // η = 0.1, β = 0.9; v as in the moving-average case
  // t=1: v = [0.05, -0.1];   step = 0.9 v + 0.1 g = [0.095, -0.19];    θ = [0.9905, -1.981]
  // t=2: v = [0.02, 0.11];   step = [0.018 - 0.025, 0.099 + 0.2] = [-0.007, 0.299]; θ = [0.9912, -2.0109]
  // t=3: v = [0.118, 0.149]; step = [0.1062 + 0.1, 0.1341 + 0.05] = [0.2062, 0.1841];
  //      θ = [0.97058, -2.02931]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params, {.lr = 0.1,
                            .momentum = 0.9,
                            .momentum_form = MomentumForm::MovingAverage,
                            .nesterov = true});
      },
      {{0.9905, -1.981}, {0.9912, -2.0109}, {0.97058, -2.02931}});
}

TEST_CASE("SGD Nesterov lr-inside: theta -= gamma v + lr g") {
  // η = 0.1, γ = 0.9; v as in the lr-inside case
  // t=1: v = [0.05, -0.1];   θ = [1, -2] - (0.9 v + 0.1 g) = [1, -2] - [0.095, -0.19] = [0.905, -1.81]
  // t=2: v = [0.02, 0.11];   θ = [0.905, -1.81] - [-0.007, 0.299] = [0.912, -2.109]
  // t=3: v = [0.118, 0.149]; θ = [0.912, -2.109] - [0.2062, 0.1841] = [0.7058, -2.2931]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return SGD(params, {.lr = 0.1,
                            .momentum = 0.9,
                            .momentum_form = MomentumForm::LrInside,
                            .nesterov = true});
      },
      {{0.905, -1.81}, {0.912, -2.109}, {0.7058, -2.2931}});
}

TEST_CASE("SGD heavy-ball and lr-inside momentum part ways when the learning rate changes") {
  // One element, g = 1 every step, μ = γ = 0.5. Step 1 with η = 0.1, step 2 with η = 0.2.
  // heavy-ball: v1 = 1, θ1 = -0.1;   v2 = 0.5 + 1 = 1.5, θ2 = -0.1 - 0.2·1.5 = -0.4
  // lr-inside:  v1 = 0.1, θ1 = -0.1; v2 = 0.05 + 0.2 = 0.25, θ2 = -0.1 - 0.25 = -0.35
  // (lr-inside keeps the old η inside v: only the new gradient gets the new η)
  for (const auto& [form, expected] :
       {std::pair{MomentumForm::HeavyBall, -0.4}, std::pair{MomentumForm::LrInside, -0.35}}) {
    const Tensor param = make_param({0.0F});
    SGD optimizer({param}, {.lr = 0.1, .momentum = 0.5, .momentum_form = form});
    param.set_grad(from_vector({1.0F}));
    optimizer.step();
    CHECK(param.item() == doctest::Approx(-0.1).epsilon(1e-6));
    optimizer.set_lr(0.2);
    optimizer.step();
    CHECK(param.item() == doctest::Approx(expected).epsilon(1e-6));
  }
}

TEST_CASE("SGD skips parameters without a gradient and counts steps, not tensors") {
  const Tensor with_grad = make_param({1.0F});
  const Tensor without_grad = make_param({5.0F});
  SGD optimizer({with_grad, without_grad}, {.lr = 0.5});
  with_grad.set_grad(from_vector({2.0F}));
  optimizer.step();
  CHECK(with_grad.item() == doctest::Approx(0.0));  // 1 - 0.5·2
  CHECK(without_grad.item() == 5.0F);
  CHECK(optimizer.step_count() == 1);
}

TEST_CASE("SGD zero_grad clears every parameter's gradient") {
  const Tensor a = make_param({1.0F});
  const Tensor b = make_param({2.0F});
  SGD optimizer({a, b});
  a.set_grad(from_vector({1.0F}));
  b.set_grad(from_vector({1.0F}));
  optimizer.zero_grad();
  CHECK_FALSE(a.grad().defined());
  CHECK_FALSE(b.grad().defined());
}

TEST_CASE("SGD reads a strided gradient correctly") {
  // grad = transpose of [[1, 2], [3, 4]] = [[1, 3], [2, 4]] (a non-contiguous view)
  const Tensor square = from_vector({0.0F, 0.0F, 0.0F, 0.0F}, {2, 2});
  square.requires_grad_();
  SGD optimizer({square}, {.lr = 1.0});
  square.set_grad(from_vector({1.0F, 2.0F, 3.0F, 4.0F}, {2, 2}).transpose(0, 1));
  optimizer.step();
  CHECK(square.to_vector() == std::vector<float>{-1.0F, -3.0F, -2.0F, -4.0F});
}
