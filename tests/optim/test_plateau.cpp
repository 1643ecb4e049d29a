// ReduceLROnPlateau on scripted sequences of metrics.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "optim/schedules/plateau.h"

using namespace minidl;
using namespace minidl::optim;

namespace {

/// Feeds `metrics` in order and CHECKs the learning rate returned after each.
void check_script(ReduceLROnPlateau& controller, const std::vector<double>& metrics,
                  const std::vector<double>& expected_lrs) {
  REQUIRE(metrics.size() == expected_lrs.size());
  for (size_t epoch = 0; epoch < metrics.size(); ++epoch) {
    INFO("epoch " << epoch + 1 << ", metric " << metrics[epoch]);
    CHECK(controller.update(metrics[epoch]) == doctest::Approx(expected_lrs[epoch]));
  }
}

}  // namespace

TEST_CASE("ReduceLROnPlateau in min mode with patience, absolute threshold, cooldown and floor") {
  // factor 0.5, patience 2, threshold 0.1 (abs: improved means metric < best - 0.1),
  // cooldown 1, min_lr 0.2
  //  e1 10    first value: best 10                          lr 1
  //  e2 9.95  not < 9.9: bad 1                              lr 1
  //  e3 9.8   < 9.9: best 9.8, bad 0                        lr 1
  //  e4 9.8   bad 1;  e5 9.75 (not < 9.7) bad 2             lr 1
  //  e6 9.9   bad 3 > 2: lr 0.5, cooldown 1, bad 0          lr 0.5
  //  e7 9.9   bad 1, but in cooldown: cooldown 0, bad 0     lr 0.5
  //  e8-e9    bad 1, 2                                      lr 0.5
  //  e10 9.9  bad 3: lr 0.25, cooldown 1                    lr 0.25
  //  e11 5    improved: best 5; cooldown ends               lr 0.25
  //  e12-e14  bad 1, 2, 3: lr max(0.125, 0.2) = 0.2         lr 0.2 at e14
  //  e15 5    cooldown ends; e16-e18 bad 1, 2, 3: max(0.1, 0.2) = 0.2 = lr, nothing changes
  ReduceLROnPlateau controller(1.0, {.factor = 0.5,
                                     .patience = 2,
                                     .threshold = 0.1,
                                     .threshold_mode = ThresholdMode::Abs,
                                     .cooldown = 1,
                                     .min_lr = 0.2});
  check_script(
      controller, {10, 9.95, 9.8, 9.8, 9.75, 9.9, 9.9, 9.9, 9.9, 9.9, 5, 5, 5, 5, 5, 5, 5, 5},
      {1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2});
  CHECK(controller.reductions() == 3);
  CHECK(controller.best() == 5.0);
}

TEST_CASE("ReduceLROnPlateau in max mode with a relative threshold") {
  // factor 0.1, patience 1, threshold 0.01 rel: improved means metric > best · 1.01
  //  0.5 best;  0.504 (not > 0.505) bad 1;  0.6 best;  0.605 (not > 0.606) bad 1;
  //  0.601 bad 2 > 1: lr 0.01;  0.7 best
  ReduceLROnPlateau controller(
      0.1, {.mode = PlateauMode::Max, .factor = 0.1, .patience = 1, .threshold = 0.01});
  check_script(controller, {0.5, 0.504, 0.6, 0.605, 0.601, 0.7}, {0.1, 0.1, 0.1, 0.1, 0.01, 0.01});
  CHECK(controller.bad_epochs() == 0);
}

TEST_CASE("ReduceLROnPlateau with patience 0 reduces on every bad epoch") {
  ReduceLROnPlateau controller(1.0, {.factor = 0.5, .patience = 0});
  check_script(controller, {1.0, 1.0, 1.0, 0.5}, {1.0, 0.5, 0.25, 0.25});
}

TEST_CASE("ReduceLROnPlateau refuses bad options and non-finite metrics") {
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau(1.0, {.factor = 1.0}),
                       "ReduceLROnPlateau: factor must be in (0, 1), got 1", Error);
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau(1.0, {.patience = -1}),
                       "ReduceLROnPlateau: patience must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau(-1.0),
                       "ReduceLROnPlateau: initial_lr must be a finite number >= 0, got -1", Error);
  ReduceLROnPlateau controller(1.0);
  CHECK_THROWS_WITH_AS(controller.update(std::nan("")),
                       "ReduceLROnPlateau: metric must be finite, got nan", Error);
}
