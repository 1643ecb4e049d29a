// Learning-rate schedules: values at chosen steps against each closed form, including step 0,
// the last step of a decay and steps past its end; previews; option checks.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "core/error.h"
#include "optim/schedules/compose.h"
#include "optim/schedules/cosine.h"
#include "optim/schedules/cyclic.h"
#include "optim/schedules/decay.h"
#include "optim/schedules/plateau.h"

using namespace minidl;
using namespace minidl::optim;

namespace {

/// CHECKs schedule.lr_at(step) for each (step, expected) pair.
void check_lr(const LrSchedule& schedule, const std::vector<std::pair<int64_t, double>>& expected) {
  for (const auto& [step, lr] : expected) {
    INFO("step " << step);
    CHECK(schedule.lr_at(step) == doctest::Approx(lr).epsilon(1e-9));
  }
}

}  // namespace

TEST_CASE("ConstantLR is the same at every step") {
  check_lr(ConstantLR({.lr = 0.1}), {{0, 0.1}, {1, 0.1}, {1'000'000, 0.1}});
}

TEST_CASE("StepLR multiplies by gamma every step_size steps") {
  // 1 · 0.5^⌊t/3⌋
  check_lr(StepLR({.lr = 1.0, .step_size = 3, .gamma = 0.5}),
           {{0, 1.0}, {2, 1.0}, {3, 0.5}, {5, 0.5}, {6, 0.25}, {9, 0.125}});
}

TEST_CASE("MultiStepLR multiplies by gamma at each milestone") {
  // milestones {2, 5}: 1 before 2, 0.1 from 2, 0.01 from 5 on
  check_lr(MultiStepLR({.lr = 1.0, .milestones = {2, 5}, .gamma = 0.1}),
           {{0, 1.0}, {1, 1.0}, {2, 0.1}, {4, 0.1}, {5, 0.01}, {100, 0.01}});
}

TEST_CASE("ExponentialLR is alpha * gamma^t") {
  check_lr(ExponentialLR({.lr = 2.0, .gamma = 0.5}),
           {{0, 2.0}, {1, 1.0}, {3, 0.25}, {10, 2.0 / 1024.0}});
}

TEST_CASE("InverseTimeLR is alpha * (1 + t/T)^-beta") {
  // T = 10, β = 1: 1/(1 + t/10);  β = 2: 1/(1 + t/10)²
  check_lr(InverseTimeLR({.lr = 1.0, .decay_steps = 10.0}), {{0, 1.0}, {10, 0.5}, {30, 0.25}});
  check_lr(InverseTimeLR({.lr = 1.0, .decay_steps = 10.0, .power = 2.0}),
           {{0, 1.0}, {10, 0.25}, {30, 0.0625}});
}

TEST_CASE("PolynomialLR with power 1 falls linearly to min_lr at T and holds it") {
  // α (1 - t/4);  with η_min = 0.2: 1 - 0.8 t/4
  check_lr(PolynomialLR({.lr = 1.0, .total_steps = 4}),
           {{0, 1.0}, {1, 0.75}, {2, 0.5}, {4, 0.0}, {10, 0.0}});
  check_lr(PolynomialLR({.lr = 1.0, .min_lr = 0.2, .total_steps = 4}),
           {{0, 1.0}, {2, 0.6}, {4, 0.2}, {7, 0.2}});
}

TEST_CASE("PolynomialLR follows (alpha - min_lr)(1 - t/T)^p + min_lr") {
  // α = 1, η_min = 0.1, T = 4, p = 2: t = 2 → 0.9 · 0.25 + 0.1 = 0.325
  check_lr(PolynomialLR({.lr = 1.0, .min_lr = 0.1, .total_steps = 4, .power = 2.0}),
           {{0, 1.0}, {2, 0.325}, {3, 0.9 * 0.0625 + 0.1}, {4, 0.1}, {9, 0.1}});
}

TEST_CASE("CosineAnnealingLR follows half a cosine down to its floor and stays there") {
  // 0.1 + 0.9 (1 + cos(π t/10))/2:  t = 3 → 0.1 + 0.45 (1 + 0.587785252) = 0.814503364
  check_lr(CosineAnnealingLR({.lr = 1.0, .total_steps = 10, .min_lr = 0.1}),
           {{0, 1.0}, {3, 0.814503364}, {5, 0.55}, {10, 0.1}, {20, 0.1}});
}

TEST_CASE("CosineWarmRestarts restarts at the start of each longer cycle") {
  // T_0 = 4, T_mult = 2: cycles [0, 4), [4, 12), [12, 28)
  // t = 2: (1 + cos(π/2))/2 = 0.5;  t = 3: (1 + cos(3π/4))/2 = 0.146446609;  t = 4: restart
  // t = 8: 4 steps into an 8-step cycle → 0.5;  t = 20: 8 into 16 → 0.5
  check_lr(CosineWarmRestarts({.lr = 1.0, .first_cycle_steps = 4, .cycle_mult = 2}),
           {{0, 1.0}, {2, 0.5}, {3, 0.146446609}, {4, 1.0}, {8, 0.5}, {12, 1.0}, {20, 0.5}});
  // T_mult = 1, T_0 = 5, floor 0: t = 7 is 2 into the second cycle → (1 + cos(2π/5))/2 = 0.654508497
  check_lr(CosineWarmRestarts({.lr = 1.0, .first_cycle_steps = 5}),
           {{0, 1.0}, {5, 1.0}, {7, 0.654508497}, {10, 1.0}});
}

TEST_CASE("CyclicLR triangular rises over step_size_up and falls over step_size_down") {
  // base 0.1, max 1.1, up 2, down 3: S = 5, r = 0.4
  // t=1: x = 0.2, scale 0.5 → 0.6;  t=2: peak 1.1;  t=3: x = 0.6, scale 2/3 → 0.766666667
  // t=4: scale 1/3 → 0.433333333;  t=5: next cycle starts at base
  check_lr(CyclicLR({.base_lr = 0.1, .max_lr = 1.1, .step_size_up = 2, .step_size_down = 3}),
           {{0, 0.1}, {1, 0.6}, {2, 1.1}, {3, 0.766666667}, {4, 0.433333333}, {5, 0.1}, {7, 1.1}});
}

TEST_CASE("CyclicLR triangular2 halves the amplitude every cycle") {
  // t=7: cycle 2 peak → 0.1 + 1/2 = 0.6;  t=12: cycle 3 peak → 0.1 + 1/4 = 0.35
  check_lr(CyclicLR({.base_lr = 0.1,
                     .max_lr = 1.1,
                     .step_size_up = 2,
                     .step_size_down = 3,
                     .mode = CyclicMode::Triangular2}),
           {{0, 0.1}, {2, 1.1}, {7, 0.6}, {12, 0.35}});
}

TEST_CASE("CyclicLR exp_range scales the amplitude by gamma^t") {
  // t=2: 0.1 + 0.9² = 0.91;  t=7: 0.1 + 0.9⁷ = 0.5782969
  check_lr(CyclicLR({.base_lr = 0.1,
                     .max_lr = 1.1,
                     .step_size_up = 2,
                     .step_size_down = 3,
                     .mode = CyclicMode::ExpRange,
                     .gamma = 0.9}),
           {{0, 0.1}, {2, 0.91}, {7, 0.5782969}});
}

TEST_CASE("CyclicLR step_size_down defaults to step_size_up") {
  check_lr(CyclicLR({.base_lr = 0.0, .max_lr = 1.0, .step_size_up = 2}),
           {{0, 0.0}, {1, 0.5}, {2, 1.0}, {3, 0.5}, {4, 0.0}});
}

TEST_CASE("OneCycleLR rises to max_lr then anneals far below the start") {
  // max 1, T = 11, pct 0.2, div 10, final div 100: α_0 = 0.1, α_min = 0.001
  // phase 1 ends at 0.2·11 - 1 = 1.2, phase 2 at 10
  // cos, t=1: p = 1/1.2, 0.1 + 0.9 (1 - cos(5π/6))/2 = 0.939711432
  // cos, t=2: p = 0.8/8.8, 1 - 0.999 (1 - cos(π p))/2 = 0.97976674
  check_lr(OneCycleLR({.max_lr = 1.0,
                       .total_steps = 11,
                       .pct_start = 0.2,
                       .div_factor = 10.0,
                       .final_div_factor = 100.0}),
           {{0, 0.1}, {1, 0.939711432}, {2, 0.97976674}, {10, 0.001}, {50, 0.001}});
  // linear, t=1: 0.1 + 0.9/1.2 = 0.85;  t=2: 1 - 0.999·0.8/8.8 = 0.909181818
  check_lr(OneCycleLR({.max_lr = 1.0,
                       .total_steps = 11,
                       .pct_start = 0.2,
                       .div_factor = 10.0,
                       .final_div_factor = 100.0,
                       .anneal = AnnealStrategy::Linear}),
           {{0, 0.1}, {1, 0.85}, {2, 0.909181818}, {10, 0.001}});
}

TEST_CASE("OneCycleLR three_phase comes back to the initial lr before the final decay") {
  // T = 12, pct 0.25, linear: phases end at 2, 4, 11
  // t=3: halfway from 1 to 0.1 → 0.55;  t=7: 3/7 of the way from 0.1 to 0.001 → 0.0575714286
  check_lr(OneCycleLR({.max_lr = 1.0,
                       .total_steps = 12,
                       .pct_start = 0.25,
                       .div_factor = 10.0,
                       .final_div_factor = 100.0,
                       .anneal = AnnealStrategy::Linear,
                       .three_phase = true}),
           {{0, 0.1}, {2, 1.0}, {3, 0.55}, {4, 0.1}, {7, 0.0575714286}, {11, 0.001}, {12, 0.001}});
}

TEST_CASE("LinearWarmup ramps up to the wrapped schedule, which then starts at its step 0") {
  // W = 4 into a cosine from 1 to 0 over 10 steps: warmup 0, 0.25, 0.5, 0.75, then cosine(t - 4)
  auto cosine =
      std::make_shared<CosineAnnealingLR>(CosineAnnealingLROptions{.lr = 1.0, .total_steps = 10});
  check_lr(LinearWarmup(cosine, {.warmup_steps = 4}),
           {{0, 0.0}, {1, 0.25}, {3, 0.75}, {4, 1.0}, {9, 0.5}, {14, 0.0}, {100, 0.0}});
  // start_factor 0.5: 0.5 + 0.5 t/4
  check_lr(LinearWarmup(cosine, {.warmup_steps = 4, .start_factor = 0.5}),
           {{0, 0.5}, {2, 0.75}, {4, 1.0}});
}

TEST_CASE("SequentialLR runs each schedule from its own step 0 between milestones") {
  SequentialLR sequence(
      {std::make_shared<ConstantLR>(ConstantLROptions{.lr = 0.5}),
       std::make_shared<ExponentialLR>(ExponentialLROptions{.lr = 1.0, .gamma = 0.5}),
       std::make_shared<ConstantLR>(ConstantLROptions{.lr = 0.01})},
      {3, 6});
  check_lr(sequence, {{0, 0.5}, {2, 0.5}, {3, 1.0}, {4, 0.5}, {5, 0.25}, {6, 0.01}, {1000, 0.01}});
}

TEST_CASE("schedules refuse a negative step") {
  CHECK_THROWS_WITH_AS(StepLR({.lr = 1.0, .step_size = 1}).lr_at(-1),
                       "StepLR: step must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(CosineAnnealingLR({.total_steps = 5}).lr_at(-3),
                       "CosineAnnealingLR: step must be >= 0, got -3", Error);
}

TEST_CASE("schedules refuse invalid options") {
  CHECK_THROWS_WITH_AS(StepLR({.lr = 1.0}), "StepLR: step_size must be >= 1, got 0", Error);
  CHECK_THROWS_WITH_AS(ExponentialLR({.lr = -1.0}),
                       "ExponentialLR: lr must be a finite number >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(MultiStepLR({.milestones = {5, 3}}),
                       "MultiStepLR: milestones must be strictly increasing, got [5, 3]", Error);
  CHECK_THROWS_WITH_AS(InverseTimeLR({.decay_steps = 0.0}),
                       "InverseTimeLR: decay_steps must be > 0, got 0", Error);
  CHECK_THROWS_WITH_AS(CosineWarmRestarts({.first_cycle_steps = 4, .cycle_mult = 0}),
                       "CosineWarmRestarts: cycle_mult must be >= 1, got 0", Error);
  CHECK_THROWS_WITH_AS(CyclicLR({.gamma = 0.0}), "CyclicLR: gamma must be > 0, got 0", Error);
  CHECK_THROWS_WITH_AS(OneCycleLR({.total_steps = 3, .pct_start = 0.2}),
                       doctest::Contains("OneCycleLR: phase 1 would last"), Error);
  CHECK_THROWS_WITH_AS(LinearWarmup(nullptr, {.warmup_steps = 1}),
                       "LinearWarmup: the schedule to warm up into is null", Error);
  auto constant = std::make_shared<ConstantLR>(ConstantLROptions{});
  CHECK_THROWS_WITH_AS(SequentialLR({constant, constant}, {}),
                       "SequentialLR: 2 schedules need 1 milestones, got 0", Error);
}

TEST_CASE("preview lists (step, lr) rows and always includes the last step") {
  const StepLR schedule({.lr = 1.0, .step_size = 2, .gamma = 0.5});
  const std::vector<LrPoint> every_step = preview(schedule, 5);
  REQUIRE(every_step.size() == 5);
  CHECK(every_step[2].step == 2);
  CHECK(every_step[2].lr == 0.5);
  CHECK(every_step[4].lr == 0.25);
  const std::vector<LrPoint> sparse = preview(schedule, 6, 2);
  REQUIRE(sparse.size() == 4);  // 0, 2, 4 and the last step 5
  CHECK(sparse[3].step == 5);
  CHECK(preview_table(schedule, 3) == "    step  lr\n       0  1\n       1  1\n       2  0.5\n");
}

TEST_CASE("huge steps and huge cycle lengths are computed without wrapping around") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // T_0 = 2, T_mult = 2^62: the second cycle lasts 2^63 steps, more than int64 holds; step 2 is
  // its start (lr α) and step 3 one step in: (1 + cos(π / 2^63))/2 rounds to 1.
  const CosineWarmRestarts restarts({.lr = 0.1, .first_cycle_steps = 2, .cycle_mult = 1LL << 62});
  check_lr(restarts, {{0, 0.1}, {1, 0.05}, {2, 0.1}, {3, 0.1}, {kMax, 0.1}});
  // S_up = S_down = INT64_MAX: S = 2^64 - 2 does not fit in int64; INT64_MAX is the peak.
  check_lr(CyclicLR({.base_lr = 0.1, .max_lr = 1.0, .step_size_up = kMax, .step_size_down = kMax}),
           {{0, 0.1}, {kMax, 1.0}});
  // Every schedule at the largest step: a finite rate, no hang.
  auto constant = std::make_shared<ConstantLR>(ConstantLROptions{.lr = 0.1});
  check_lr(StepLR({.lr = 1.0, .step_size = 1, .gamma = 0.5}), {{kMax, 0.0}});
  check_lr(MultiStepLR({.lr = 1.0, .milestones = {kMax}, .gamma = 0.5}),
           {{kMax - 1, 1.0}, {kMax, 0.5}});
  check_lr(ExponentialLR({.lr = 1.0, .gamma = 0.5}), {{kMax, 0.0}});
  check_lr(InverseTimeLR({.lr = 1.0, .decay_steps = 1e-300}), {{kMax, 0.0}});
  check_lr(PolynomialLR({.lr = 1.0, .total_steps = kMax}), {{0, 1.0}, {kMax, 0.0}});
  check_lr(CosineAnnealingLR({.lr = 1.0, .total_steps = kMax}), {{0, 1.0}, {kMax, 0.0}});
  check_lr(
      CyclicLR({.base_lr = 0.1, .max_lr = 1.0, .step_size_up = 1, .mode = CyclicMode::Triangular2}),
      {{kMax, 0.1}});
  check_lr(OneCycleLR({.max_lr = 1.0, .total_steps = kMax, .div_factor = 10.0}), {{0, 0.1}});
  check_lr(LinearWarmup(constant, {.warmup_steps = kMax}), {{kMax - 1, 0.1}, {kMax, 0.1}});
  check_lr(SequentialLR({constant, constant}, {kMax}), {{kMax, 0.1}});
}

TEST_CASE("a schedule refuses a learning rate that is not finite, naming itself and the step") {
  // 2^1024 overflows a double: ExponentialLR with γ = 2 is infinite from step 1024 on.
  const ExponentialLR growing({.lr = 1.0, .gamma = 2.0});
  CHECK(growing.lr_at(1023) == doctest::Approx(std::ldexp(1.0, 1023)));
  CHECK_THROWS_WITH_AS(
      (void)growing.lr_at(1024),
      "ExponentialLR: the learning rate at step 1024 is inf, not a finite number >= 0 (a factor "
      "above 1 grows without bound)",
      Error);
  CHECK_THROWS_WITH_AS((void)StepLR({.lr = 1.0, .step_size = 1, .gamma = 10.0}).lr_at(400),
                       doctest::Contains("StepLR: the learning rate at step 400 is inf"), Error);
  CHECK_THROWS_WITH_AS((void)CyclicLR({.base_lr = 0.1,
                                       .max_lr = 1.0,
                                       .step_size_up = 1,
                                       .mode = CyclicMode::ExpRange,
                                       .gamma = 2.0})
                           .lr_at(5000),
                       doctest::Contains("CyclicLR: the learning rate at step 5000 is"), Error);
  CHECK_THROWS_WITH_AS(OneCycleLR({.max_lr = 1.0, .total_steps = 10, .div_factor = 1e-310}),
                       "OneCycleLR: max_lr / div_factor must be a finite number >= 0, got inf",
                       Error);
}

TEST_CASE("every schedule and the plateau controller refuse non-finite options") {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  auto constant = std::make_shared<ConstantLR>(ConstantLROptions{});
  CHECK_THROWS_AS(ConstantLR({.lr = kInf}), Error);
  CHECK_THROWS_AS(StepLR({.step_size = 1, .gamma = kNaN}), Error);
  CHECK_THROWS_AS(MultiStepLR({.gamma = kInf}), Error);
  CHECK_THROWS_AS(ExponentialLR({.gamma = kNaN}), Error);
  CHECK_THROWS_AS(InverseTimeLR({.decay_steps = kInf}), Error);
  CHECK_THROWS_AS(InverseTimeLR({.decay_steps = 1.0, .power = kNaN}), Error);
  CHECK_THROWS_AS(PolynomialLR({.min_lr = kNaN, .total_steps = 1}), Error);
  CHECK_THROWS_AS(PolynomialLR({.total_steps = 1, .power = kInf}), Error);
  CHECK_THROWS_AS(CosineAnnealingLR({.total_steps = 1, .min_lr = kInf}), Error);
  CHECK_THROWS_AS(CosineWarmRestarts({.lr = kNaN, .first_cycle_steps = 1}), Error);
  CHECK_THROWS_AS(CyclicLR({.max_lr = kInf}), Error);
  CHECK_THROWS_AS(CyclicLR({.gamma = kNaN}), Error);
  CHECK_THROWS_AS(OneCycleLR({.total_steps = 10, .pct_start = kNaN}), Error);
  CHECK_THROWS_AS(OneCycleLR({.total_steps = 10, .div_factor = kInf}), Error);
  CHECK_THROWS_AS(OneCycleLR({.total_steps = 10, .final_div_factor = kNaN}), Error);
  CHECK_THROWS_AS(LinearWarmup(constant, {.warmup_steps = 1, .start_factor = kNaN}), Error);
  CHECK_THROWS_AS(ReduceLROnPlateau(1.0, {.factor = kNaN}), Error);
  CHECK_THROWS_AS(ReduceLROnPlateau(1.0, {.threshold = kInf}), Error);
  CHECK_THROWS_AS(ReduceLROnPlateau(1.0, {.min_lr = kNaN}), Error);
  CHECK_THROWS_AS(ReduceLROnPlateau(1.0, {.eps = kInf}), Error);
}

TEST_CASE("preview refuses more rows than it lists and steps by `every` without overflow") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const ConstantLR schedule({.lr = 0.1});
  CHECK_THROWS_WITH_AS((void)preview(schedule, kMax),
                       doctest::Contains("preview: 9223372036854775807 steps every 1 would list"),
                       Error);
  const std::vector<LrPoint> two = preview(schedule, kMax, kMax - 1);  // steps 0 and kMax - 1
  REQUIRE(two.size() == 2);
  CHECK(two[1].step == kMax - 1);
}
