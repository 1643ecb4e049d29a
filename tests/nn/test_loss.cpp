// Losses (functional and module forms) and the l1 / l2 penalties: values on hand-checked cases,
// the fused cross-entropy gradient, numerical stability, and errors for bad targets.
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;
using minidl::testing::distinct;
using minidl::testing::leaf;

namespace {
// logits [[1, 2, 3], [1, 1, 1]] with targets [2, 0]:
//   loss 0 = log(e + e^2 + e^3) - 3 = 0.40760596, loss 1 = log(3) = 1.09861229
Tensor example_logits() { return from_vector({1, 2, 3, 1, 1, 1}, {2, 3}); }
Tensor example_targets() { return from_vector({2, 0}); }
}  // namespace

TEST_CASE("cross_entropy gives the log-sum-exp minus the target logit, with each reduction") {
  check_close(
      nn::cross_entropy(example_logits(), example_targets(), {.reduction = Reduction::None}),
      {0.40760596F, 1.09861229F});
  check_close(nn::cross_entropy(example_logits(), example_targets()), {0.75310912F});
  check_close(nn::cross_entropy(example_logits(), example_targets(), {.reduction = Reduction::Sum}),
              {1.50621825F});
  CHECK(nn::cross_entropy(example_logits(), example_targets()).dim() == 0);
}

TEST_CASE("cross_entropy backward is (softmax - one_hot) / N") {
  Tensor logits = example_logits().requires_grad_();
  nn::cross_entropy(logits, example_targets()).backward();
  // softmax([1, 2, 3]) = [0.09003057, 0.24472847, 0.66524096]; softmax([1, 1, 1]) = 1/3
  check_close(logits.grad(), {0.09003057F / 2, 0.24472847F / 2, (0.66524096F - 1) / 2,
                              (1.0F / 3 - 1) / 2, 1.0F / 6, 1.0F / 6});
}

TEST_CASE("cross_entropy stays finite for huge logits") {
  Tensor logits = from_vector({1000, 0, -1000, 0}, {2, 2}).requires_grad_();
  Tensor losses = nn::cross_entropy(logits, from_vector({0, 0}), {.reduction = Reduction::None});
  check_close(losses, {0, 1000});
  losses.sum().backward();
  check_close(logits.grad(), {0, 0, -1, 1});
}

TEST_CASE("cross_entropy equals nll_loss of log_softmax") {
  Generator generator(12);
  Tensor logits = randn({6, 4}, generator);
  Tensor targets = from_vector({0, 3, 1, 1, 2, 3});
  check_close(nn::cross_entropy(logits, targets),
              nn::nll_loss(log_softmax(logits, 1), targets).to_vector());
}

TEST_CASE("cross_entropy names a target that is out of range, fractional or misshaped") {
  Tensor logits = zeros({3, 4});
  CHECK_THROWS_WITH_AS(nn::cross_entropy(logits, from_vector({0, 4, 1})),
                       "cross_entropy: target 4 at position 1 is out of range for 4 classes "
                       "(valid: 0 to 3)",
                       Error);
  CHECK_THROWS_WITH_AS(nn::cross_entropy(logits, from_vector({0, 1, -1})),
                       doctest::Contains("target -1 at position 2 is out of range"), Error);
  CHECK_THROWS_WITH_AS(
      nn::cross_entropy(logits, from_vector({0, 1.5F, 1})),
      "cross_entropy: target 1.5 at position 1 is not a whole number (class index)", Error);
  CHECK_THROWS_WITH_AS(nn::cross_entropy(logits, zeros({3, 1})),
                       "cross_entropy: targets of shape [3, 1] do not fit scores of shape [3, 4]; "
                       "expected class indices of shape [3] or probabilities of shape [3, 4]",
                       Error);
  CHECK_THROWS_WITH_AS(nn::cross_entropy(logits, zeros({2})),
                       doctest::Contains("targets of shape [2] do not fit scores of shape [3, 4]"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::cross_entropy(zeros({4}), zeros({4})),
                       doctest::Contains("expected scores of shape [N, C]"), Error);
}

TEST_CASE("nll_loss picks the negated log-probability of each target") {
  Tensor log_probs = from_vector({-0.5F, -1.0F, -2.0F, -0.1F}, {2, 2}).requires_grad_();
  check_close(nn::nll_loss(log_probs, from_vector({1, 0}), {.reduction = Reduction::None}),
              {1.0F, 2.0F});
  Tensor loss = nn::nll_loss(log_probs, from_vector({1, 0}));
  check_close(loss, {1.5F});
  loss.backward();
  check_close(log_probs.grad(), {0, -0.5F, -0.5F, 0});
  CHECK_THROWS_WITH_AS(nn::nll_loss(log_probs, from_vector({2, 0})),
                       doctest::Contains("nll_loss: target 2 at position 0 is out of range"),
                       Error);
}

TEST_CASE("binary_cross_entropy_with_logits matches the formula and is stable") {
  Tensor logits = from_vector({0, 2, -3});
  Tensor targets = from_vector({0, 1, 1});
  // log 2, log(1 + e^-2), 3 + log(1 + e^-3)
  check_close(nn::binary_cross_entropy_with_logits(logits, targets, {.reduction = Reduction::None}),
              {0.69314718F, 0.12692801F, 3.04858735F});
  check_close(nn::binary_cross_entropy_with_logits(logits, targets), {1.28955418F});
  check_close(nn::binary_cross_entropy_with_logits(from_vector({100, -100}), from_vector({0, 1}),
                                                   {.reduction = Reduction::None}),
              {100, 100});
  Tensor x = from_vector({0, 2}).requires_grad_();
  nn::binary_cross_entropy_with_logits(x, from_vector({1, 0}), {.reduction = Reduction::Sum})
      .backward();
  check_close(x.grad(), {-0.5F, 0.88079708F});  // sigmoid(x) - y
  CHECK_THROWS_WITH_AS(nn::binary_cross_entropy_with_logits(zeros({3}), zeros({3, 1})),
                       doctest::Contains("logits of shape [3] and targets of shape [3, 1]"), Error);
}

TEST_CASE("mse_loss and l1_loss with each reduction") {
  Tensor input = from_vector({1, 2, 3});
  Tensor target = from_vector({1, 0, 0});
  check_close(nn::mse_loss(input, target, {.reduction = Reduction::None}), {0, 4, 9});
  check_close(nn::mse_loss(input, target), {13.0F / 3});
  check_close(nn::mse_loss(input, target, {.reduction = Reduction::Sum}), {13});
  check_close(nn::l1_loss(input, target, {.reduction = Reduction::None}), {0, 2, 3});
  check_close(nn::l1_loss(input, target), {5.0F / 3});
  check_close(nn::l1_loss(input, target, {.reduction = Reduction::Sum}), {5});
}

TEST_CASE("mse_loss and l1_loss refuse inputs and targets of different shapes") {
  CHECK_THROWS_WITH_AS(nn::mse_loss(zeros({4, 1}), zeros({4})),
                       "mse_loss: input of shape [4, 1] and target of shape [4] must have the same "
                       "shape",
                       Error);
  CHECK_THROWS_WITH_AS(nn::l1_loss(zeros({2}), zeros({3})),
                       doctest::Contains("l1_loss: input of shape [2] and target of shape [3]"),
                       Error);
}

TEST_CASE("loss modules call their functions and name themselves in errors") {
  nn::CrossEntropyLoss cross_entropy_loss({.reduction = Reduction::Sum});
  CHECK(cross_entropy_loss.describe() == "CrossEntropyLoss(reduction=sum)");
  check_close(cross_entropy_loss(example_logits(), example_targets()), {1.50621825F});
  CHECK_THROWS_WITH_AS(cross_entropy_loss(example_logits(), from_vector({0, 3})),
                       doctest::Contains("CrossEntropyLoss(reduction=sum): cross_entropy: target 3 "
                                         "at position 1 is out of range for 3 classes"),
                       Error);
  Tensor input = from_vector({1, 2, 3});
  Tensor target = from_vector({1, 0, 0});
  check_close(nn::MSELoss()(input, target), {13.0F / 3});
  check_close(nn::L1Loss({.reduction = Reduction::None})(input, target), {0, 2, 3});
  check_close(nn::NLLLoss()(from_vector({-0.5F, -1.0F, -2.0F, -0.1F}, {2, 2}), from_vector({1, 0})),
              {1.5F});
  check_close(nn::BCEWithLogitsLoss()(from_vector({0, 2, -3}), from_vector({0, 1, 1})),
              {1.28955418F});
  CHECK(nn::MSELoss().describe() == "MSELoss(reduction=mean)");
  CHECK(nn::BCEWithLogitsLoss({.reduction = Reduction::None}).describe() ==
        "BCEWithLogitsLoss(reduction=none)");
}

TEST_CASE("l1_penalty and l2_penalty sum over every tensor") {
  Tensor a = from_vector({1, -2}).requires_grad_();
  Tensor b = from_vector({3}, {1, 1}).requires_grad_();
  check_close(nn::l1_penalty({a, b}), {6});
  Tensor l2 = nn::l2_penalty({a, b});
  check_close(l2, {14});
  l2.backward();
  check_close(a.grad(), {2, -4});
  check_close(b.grad(), {6});
  check_close(nn::l2_penalty({}), {0});
}

TEST_CASE("l1_penalty and l2_penalty gradients match finite differences") {
  std::vector<Tensor> inputs{distinct({2, 3}, 95, 0.2F), distinct({4}, 96, 0.2F)};
  auto l1 = [](const std::vector<Tensor>& v) { return nn::l1_penalty(v); };
  auto l2 = [](const std::vector<Tensor>& v) { return nn::l2_penalty(v); };
  GradcheckResult l1_result = gradcheck(l1, inputs);
  INFO(l1_result.message);
  CHECK(l1_result.ok);
  GradcheckResult l2_result = gradcheck(l2, {leaf({3, 2}, 97), leaf({5}, 98)});
  INFO(l2_result.message);
  CHECK(l2_result.ok);
}

TEST_CASE("a penalty added to a model's loss reaches every parameter") {
  nn::Linear linear({.in = 3, .out = 2});
  Tensor loss = add(nn::mse_loss(linear(ones({4, 3})), zeros({4, 2})),
                    mul(nn::l2_penalty(linear.parameters()), 0.01F));
  loss.backward();
  for (const Tensor& parameter : linear.parameters()) CHECK(parameter.grad().defined());
}
