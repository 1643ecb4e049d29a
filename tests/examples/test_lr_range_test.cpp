// What mnist --find-lr prints: the table keeps evenly spaced rows plus the suggested and the last
// one, and the summary names the suggestion and the divergence, or says why there is none.
#include <doctest/doctest.h>

#include <cmath>

#include "examples/mnist/lr_range_test.h"

using namespace minidl;

namespace {

// Ten points, lr 10^(step - 5), the suggestion at step 3, diverged at step 9.
train::LrFinderResult ten_points() {
  train::LrFinderResult result;
  for (int64_t step = 0; step < 10; ++step) {
    const double lr = std::pow(10.0, static_cast<double>(step - 5));
    result.points.push_back({.step = step, .lr = lr, .loss = 2.0, .smoothed_loss = 1.5});
  }
  result.diverged = true;
  result.suggestion = 3;
  return result;
}

}  // namespace

TEST_CASE("the range test's table shows every few steps, the suggested step and the last") {
  CHECK(examples::lr_range_table(ten_points(), 4) ==
        " step          lr       loss   smoothed\n"
        "    0       1e-05     2.0000     1.5000\n"
        "    2       0.001     2.0000     1.5000\n"
        "    3        0.01     2.0000     1.5000  <- suggested\n"
        "    4         0.1     2.0000     1.5000\n"
        "    6          10     2.0000     1.5000\n"
        "    8        1000     2.0000     1.5000\n"
        "    9       1e+04     2.0000     1.5000\n");
}

TEST_CASE("the range test's summary names the suggestion and where the loss diverged") {
  train::LrFinderResult result = ten_points();
  CHECK(examples::lr_range_summary(result) ==
        "suggested learning rate: 0.01 (steepest descent of the smoothed loss); the loss diverged "
        "at lr 1e+04 (step 9); train with --lr 0.01");
  result.suggestion.reset();
  result.diverged = false;
  CHECK(examples::lr_range_summary(result) ==
        "no suggestion: the smoothed loss never fell; the loss did not diverge up to lr 1e+04");
}
