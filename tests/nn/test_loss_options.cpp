// The loss options of PyTorch: cross_entropy's weight, ignore_index, label_smoothing, [N, C, d1]
// inputs and probability targets; nll_loss's weight and ignore_index; BCE's pos_weight. Each
// value below was computed with PyTorch 1.13 in float64 by calling torch.nn.functional's
// function of the same name with the same options on the tensors written here, e.g.
// `F.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction='none')`.
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;
using minidl::testing::leaf;

namespace {
// x [3, 4], targets [0, 3, 1], class weights w [4]
Tensor logits() { return from_vector({1, 2, 0.5F, -1, 0, -0.5F, 3, 1, 2, 1, -2, 0.5F}, {3, 4}); }
Tensor targets() { return from_vector({0, 3, 1}); }
Tensor class_weight() { return from_vector({0.5F, 1, 2, 1.5F}); }
// [N, C, T] = [2, 3, 2] logits of a sequence model
Tensor sequence_logits() {
  return from_vector({1, -1, 0.5F, 2, 0, 0, -0.5F, 1.5F, 2.5F, 0, 1, -2}, {2, 3, 2});
}
// probabilities [3, 4], one row per sample
Tensor soft_targets() {
  return from_vector({0.7F, 0.1F, 0.1F, 0.1F, 0, 0, 0.5F, 0.5F, 0.25F, 0.25F, 0.25F, 0.25F},
                     {3, 4});
}
}  // namespace

TEST_CASE("cross_entropy with class weights divides the mean by the targets' total weight") {
  const CrossEntropyOptions weighted{.weight = class_weight()};
  check_close(nn::cross_entropy(logits(), targets(),
                                {.reduction = Reduction::None, .weight = class_weight()}),
              {0.74759095F, 3.29251080F, 1.47581499F});
  // mean = (0.74759 + 3.29251 + 1.47581) / (0.5 + 1.5 + 1)
  check_close(nn::cross_entropy(logits(), targets(), weighted), {1.83863891F});
  check_close(nn::cross_entropy(logits(), targets(),
                                {.reduction = Reduction::Sum, .weight = class_weight()}),
              {5.51591673F});
}

TEST_CASE("cross_entropy ignore_index drops the target from the sum and from the count") {
  Tensor with_ignored = from_vector({0, -100, 2});
  check_close(nn::cross_entropy(logits(), with_ignored, {.reduction = Reduction::None}),
              {1.49518190F, 0.0F, 4.47581499F});
  check_close(nn::cross_entropy(logits(), with_ignored), {2.98549844F});
  check_close(nn::cross_entropy(logits(), with_ignored, {.weight = class_weight()}), {3.87968837F});
  // an ignore_index inside [0, C) ignores that class
  check_close(nn::cross_entropy(logits(), targets(), {.ignore_index = 3}), {1.48549844F});
  // nothing counted: the mean is 0 / 0 = NaN (as PyTorch), the sum 0
  Tensor all_ignored = from_vector({-100, -100, -100});
  CHECK(std::isnan(nn::cross_entropy(logits(), all_ignored).item()));
  CHECK(nn::cross_entropy(logits(), all_ignored, {.reduction = Reduction::Sum}).item() == 0.0F);
}

TEST_CASE("cross_entropy ignored targets get no gradient") {
  Tensor x = leaf({3, 4}, 7);
  nn::cross_entropy(x, from_vector({1, -100, 2}), {.reduction = Reduction::Sum}).backward();
  check_close(x.grad().narrow(0, 1, 1), {0, 0, 0, 0});
}

TEST_CASE("cross_entropy label_smoothing mixes the target with the uniform distribution") {
  check_close(nn::cross_entropy(logits(), targets(),
                                {.reduction = Reduction::None, .label_smoothing = 0.2F}),
              {1.57018190F, 2.22000720F, 1.60081499F});
  check_close(nn::cross_entropy(logits(), targets(), {.label_smoothing = 0.2F}), {1.79700136F});
  const CrossEntropyOptions all{
      .reduction = Reduction::None, .weight = class_weight(), .label_smoothing = 0.2F};
  Tensor with_ignored = from_vector({0, -100, 2});
  check_close(nn::cross_entropy(logits(), with_ignored, all), {1.12186823F, 0.0F, 7.84275772F});
  check_close(nn::cross_entropy(logits(), with_ignored,
                                {.weight = class_weight(), .label_smoothing = 0.2F}),
              {3.58585038F});
  // label_smoothing 1: the target is uniform whatever the class
  check_close(nn::cross_entropy(logits(), targets(), {.label_smoothing = 1.0F}),
              nn::cross_entropy(logits(), full({3, 4}, 0.25F)).to_vector());
}

TEST_CASE("cross_entropy takes logits [N, C, T] with targets [N, T] without a reshape") {
  Tensor sequence_targets = from_vector({2, 1, 0, -100}, {2, 2});
  Tensor losses =
      nn::cross_entropy(sequence_logits(), sequence_targets, {.reduction = Reduction::None});
  CHECK(losses.shape() == Shape{2, 2});
  check_close(losses, {1.68026967F, 0.16984602F, 3.24131130F, 0.0F});
  check_close(nn::cross_entropy(sequence_logits(), sequence_targets), {1.69714233F});
  // the same as moving the class dim last and flattening
  Tensor flat = sequence_logits().permute({0, 2, 1}).reshape({4, 3});
  check_close(nn::cross_entropy(flat, sequence_targets.reshape({4})),
              nn::cross_entropy(sequence_logits(), sequence_targets).to_vector());
}

TEST_CASE("cross_entropy takes probability targets of the logits' shape") {
  check_close(nn::cross_entropy(logits(), soft_targets(), {.reduction = Reduction::None}),
              {1.64518190F, 1.19500720F, 2.10081499F});
  check_close(nn::cross_entropy(logits(), soft_targets()), {1.64700136F});
  // weight and label_smoothing apply; the mean divides by N (not by weights)
  check_close(nn::cross_entropy(logits(), soft_targets(),
                                {.weight = class_weight(), .label_smoothing = 0.1F}),
              {2.29906989F});
  check_close(nn::cross_entropy(
                  logits(), soft_targets(),
                  {.reduction = Reduction::Sum, .weight = class_weight(), .label_smoothing = 0.1F}),
              {6.89720967F});
  // one-hot probabilities give the class-index loss
  Tensor one_hot = from_vector({1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0}, {3, 4});
  check_close(nn::cross_entropy(logits(), one_hot),
              nn::cross_entropy(logits(), targets()).to_vector());
}

TEST_CASE("nll_loss with weight and ignore_index, also on [N, C, T]") {
  Tensor log_probs = log_softmax(logits(), 1);
  const NLLLossOptions options{.weight = class_weight(), .ignore_index = 1};
  check_close(
      nn::nll_loss(log_probs, targets(),
                   {.reduction = Reduction::None, .weight = class_weight(), .ignore_index = 1}),
      {0.74759095F, 3.29251080F, 0.0F});
  check_close(nn::nll_loss(log_probs, targets(), options), {2.02005087F});
  Tensor sequence_targets = from_vector({2, 1, 0, -100}, {2, 2});
  Tensor sequence_log_probs = log_softmax(sequence_logits(), 1);
  const NLLLossOptions weighted{.weight = from_vector({0.5F, 1, 2})};
  check_close(nn::nll_loss(sequence_log_probs, sequence_targets, weighted), {1.47172600F});
  check_close(nn::nll_loss(sequence_log_probs, sequence_targets,
                           {.reduction = Reduction::None, .weight = from_vector({0.5F, 1, 2})}),
              {3.36053934F, 0.16984602F, 1.62065565F, 0.0F});
}

TEST_CASE("binary_cross_entropy_with_logits pos_weight scales the positive term per class") {
  Tensor x = from_vector({1, -2, 0.5F, -0.5F, 3, 0}, {2, 3});
  Tensor y = from_vector({1, 0, 1, 0.3F, 1, 0}, {2, 3});
  const BCEWithLogitsOptions options{.reduction = Reduction::None,
                                     .pos_weight = from_vector({2, 0.5F, 3})};
  check_close(nn::binary_cross_entropy_with_logits(x, y, options),
              {0.62652338F, 0.12692801F, 1.42223095F, 0.91630008F, 0.02429368F, 0.69314718F});
  check_close(nn::binary_cross_entropy_with_logits(x, y, {.pos_weight = from_vector({2, 0.5F, 3})}),
              {0.63490388F});
  // stable for huge logits: 100 and 4 * 100
  check_close(nn::binary_cross_entropy_with_logits(
                  from_vector({100, -100}), from_vector({0, 1}),
                  {.reduction = Reduction::None, .pos_weight = from_vector({4})}),
              {100.0F, 400.0F});
}

TEST_CASE("cross_entropy with every option stays finite for huge logits") {
  Tensor huge = from_vector({1e4F, -1e4F, 0, 0, 3e4F, -3e4F}, {2, 3});
  Tensor losses = nn::cross_entropy(
      huge, from_vector({1, 2}),
      {.reduction = Reduction::None, .weight = from_vector({1, 2, 3}), .label_smoothing = 0.5F});
  // (1 - s) w[t] (lse - x[t]) + (s / 3) sum_c w[c] (lse - x[c]), lse = max
  check_close(losses, {0.5F * 2 * 2e4F + (0.5F / 3) * (2 * 2e4F + 3 * 1e4F),
                       0.5F * 3 * 6e4F + (0.5F / 3) * (1 * 3e4F + 2 * 0 + 3 * 6e4F)});
}

TEST_CASE("loss modules carry their options") {
  nn::CrossEntropyLoss criterion({.weight = class_weight(), .label_smoothing = 0.2F});
  CHECK(criterion.options().label_smoothing == 0.2F);
  CHECK(criterion.describe() == "CrossEntropyLoss(reduction=mean)");
  check_close(
      criterion(logits(), targets()),
      nn::cross_entropy(logits(), targets(), {.weight = class_weight(), .label_smoothing = 0.2F})
          .to_vector());
  // the unweighted losses of targets 3 and 1 (the weighted ones above over their weights)
  nn::NLLLoss nll({.reduction = Reduction::Sum, .ignore_index = 0});
  check_close(nll(log_softmax(logits(), 1), targets()), {3.29251080F / 1.5F + 1.47581499F});
  nn::BCEWithLogitsLoss bce({.pos_weight = from_vector({2})});
  check_close(bce(from_vector({0}), from_vector({1})), {2.0F * std::log(2.0F)});
}
