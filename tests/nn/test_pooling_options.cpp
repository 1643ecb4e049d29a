// Pooling options of issue 15 part 5: ceil_mode, dilation, divisor_override and adaptive
// pooling, functional and as layers. Expected values are PyTorch 2's for the same input
// (torch.arange(25.).reshape(1, 1, 5, 5) or arange(35) as 5x7, through torch.nn.functional).
#include <doctest/doctest.h>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;
using minidl::testing::distinct;

namespace {

Tensor grid5() { return arange(25).reshape({1, 1, 5, 5}); }

}  // namespace

TEST_CASE("ceil_mode keeps the partial last window of max and average pooling") {
  // F.max_pool2d(x, 2, 2, ceil_mode=True) / F.avg_pool2d(x, 2, 2, ceil_mode=True)
  Tensor max_out = max_pool2d(grid5(), {.kernel = 2, .ceil_mode = true});
  CHECK(max_out.shape() == Shape{1, 1, 3, 3});
  check_close(max_out, {6, 8, 9, 16, 18, 19, 21, 23, 24});
  check_close(avg_pool2d(grid5(), {.kernel = 2, .ceil_mode = true}),
              {3, 5, 6.5F, 13, 15, 16.5F, 20.5F, 22.5F, 24});
  // F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True), with and without count_include_pad
  check_close(avg_pool2d(grid5(), {.kernel = 3, .stride = 2, .padding = 1, .ceil_mode = true}),
              {1.3333333F, 3, 2.6666667F, 7, 12, 9, 8, 13, 9.3333333F});
  check_close(
      avg_pool2d(
          grid5(),
          {.kernel = 3, .stride = 2, .padding = 1, .count_include_pad = false, .ceil_mode = true}),
      {3, 4.5F, 6, 10.5F, 12, 13.5F, 18, 19.5F, 21});
  // Without ceil_mode the partial windows are dropped: 5 -> 2.
  CHECK(max_pool2d(grid5(), {.kernel = 2}).shape() == Shape{1, 1, 2, 2});
}

TEST_CASE("dilation spreads the max pooling window") {
  // F.max_pool2d(x, 2, 1, dilation=2)
  check_close(max_pool2d(grid5(), {.kernel = 2, .stride = 1, .dilation = 2}),
              {12, 13, 14, 17, 18, 19, 22, 23, 24});
  // F.max_pool2d(x, 3, 2, padding=1, dilation=2)
  check_close(max_pool2d(grid5(), {.kernel = 3, .stride = 2, .padding = 1, .dilation = 2}),
              {18, 18, 18, 18});
  // F.max_pool2d(x, 2, 2, padding=1, dilation=2, ceil_mode=True)
  check_close(
      max_pool2d(grid5(),
                 {.kernel = 2, .stride = 2, .padding = 1, .dilation = 2, .ceil_mode = true}),
      {6, 8, 8, 16, 18, 18, 16, 18, 18});
}

TEST_CASE("divisor_override replaces every window's divisor") {
  // F.avg_pool2d(x, 2, 2, ceil_mode=True, divisor_override=3)
  check_close(avg_pool2d(grid5(), {.kernel = 2, .ceil_mode = true, .divisor_override = 3}),
              {4, 6.6666667F, 4.3333333F, 17.333333F, 20, 11, 13.666667F, 15, 8});
  // F.avg_pool2d(x, 3, 2, padding=1, divisor_override=2): count_include_pad plays no part
  check_close(avg_pool2d(grid5(), {.kernel = 3,
                                   .stride = 2,
                                   .padding = 1,
                                   .count_include_pad = false,
                                   .divisor_override = 2}),
              {6, 13.5F, 12, 31.5F, 54, 40.5F, 36, 58.5F, 42});
}

TEST_CASE("adaptive pooling uses PyTorch's floor and ceil windows") {
  Tensor y = arange(35).reshape({1, 1, 5, 7});
  // F.adaptive_avg_pool2d(y, (3, 4))
  check_close(adaptive_avg_pool2d(y, {.output_size = {3, 4}}),
              {4, 5.5F, 7.5F, 9, 14.5F, 16, 18, 19.5F, 25, 26.5F, 28.5F, 30});
  // F.adaptive_max_pool2d(y, (2, 3))
  check_close(adaptive_max_pool2d(y, {.output_size = {2, 3}}), {16, 18, 20, 30, 32, 34});
  // Global average pooling: F.adaptive_avg_pool2d(y, 1)
  nn::AdaptiveAvgPool2d global({.output_size = 1});
  Tensor pooled = global(y);
  CHECK(pooled.shape() == Shape{1, 1, 1, 1});
  check_close(pooled, {17});
  // An output larger than the input repeats elements (overlapping windows).
  check_close(adaptive_avg_pool2d(arange(2).reshape({1, 1, 1, 2}), {.output_size = {1, 3}}),
              {0, 0.5F, 1});
}

TEST_CASE("the pooling layers take the new options and describe them") {
  nn::MaxPool2d max_pool(
      {.kernel = 3, .stride = 2, .padding = 1, .dilation = 2, .ceil_mode = true});
  CHECK(max_pool.describe() ==
        "MaxPool2d(kernel=3, stride=2, padding=1, dilation=2, ceil_mode=true)");
  nn::AvgPool2d avg_pool({.kernel = 2, .ceil_mode = true, .divisor_override = 3});
  CHECK(avg_pool.describe() ==
        "AvgPool2d(kernel=2, stride=2, padding=0, ceil_mode=true, divisor_override=3)");
  check_close(avg_pool(grid5()),
              {4, 6.6666667F, 4.3333333F, 17.333333F, 20, 11, 13.666667F, 15, 8});
  CHECK(nn::AdaptiveMaxPool2d({.output_size = {2, 3}}).describe() ==
        "AdaptiveMaxPool2d(output_size=(2, 3))");
  CHECK(nn::AdaptiveAvgPool2d({.output_size = 1}).describe() == "AdaptiveAvgPool2d(output_size=1)");
}

TEST_CASE("adaptive max pooling routes the gradient to each window's maximum") {
  Tensor x = distinct({1, 1, 3, 3}, 7);
  nn::AdaptiveMaxPool2d pool({.output_size = 2});
  sum(pool(x)).backward();
  // Windows rows/cols [0, 2) and [1, 3) overlap in the middle; each adds 1 at its maximum.
  CHECK(sum(x.grad()).item() == 4.0F);
}
