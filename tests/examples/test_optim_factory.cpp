// The examples' factory builds every optimizer and every schedule their command lines offer,
// each flag reaches what it configures (checked by value), and a flag the choice ignores is refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "examples/common/optim_factory.h"
#include "minidl.h"

using namespace minidl;
using namespace minidl::examples;

TEST_CASE("every optimizer name builds an optimizer that lowers a quadratic") {
  for (const std::string& name : optimizer_names()) {
    Tensor x = from_vector({1.0F, -2.0F}).requires_grad_();
    auto optimizer = make_optimizer({.name = name, .lr = name == "adadelta" ? 1.0 : 0.05}, {x});
    auto loss_of = [&] { return sum(x * x); };
    const float before = loss_of().item();
    for (int i = 0; i < 5; ++i) {
      optimizer->step([&] {
        optimizer->zero_grad();
        Tensor loss = loss_of();
        loss.backward();
        return loss;
      });
    }
    INFO(name);
    CHECK(loss_of().item() < before);
  }
}

TEST_CASE("every schedule name builds a schedule with finite, positive rates") {
  for (const std::string& name : schedule_names()) {
    ScheduleOptions config{.name = name, .milestones = {1.0, 2.0}, .warmup_epochs = 0.5};
    auto schedule = make_schedule(config, 0.01, 10, 3);
    INFO(name);
    for (int64_t step : {0, 5, 15, 29, 40}) {
      const double lr = schedule->lr_at(step);
      CHECK(std::isfinite(lr));
      CHECK(lr >= 0.0);
    }
    CHECK(schedule->lr_at(10) > 0.0);
  }
}

TEST_CASE("an unknown optimizer or schedule is refused by name") {
  Tensor x = ones({1}).requires_grad_();
  CHECK_THROWS_WITH_AS(make_optimizer({.name = "sgdx"}, {x}),
                       doctest::Contains("unknown optimizer 'sgdx'"), Error);
  CHECK_THROWS_WITH_AS(make_schedule({.name = "cosinus"}, 0.1, 10, 1),
                       doctest::Contains("unknown schedule 'cosinus'"), Error);
}

TEST_CASE("a schedule over epochs near INT64_MAX is refused instead of wrapping around") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  CHECK_THROWS_WITH_AS(make_schedule({.name = "cosine"}, 0.1, 938, kMax),
                       doctest::Contains("epochs of 938 steps are"), Error);
  CHECK_THROWS_WITH_AS(make_schedule({.name = "step", .step_size = 1e300}, 0.1, 10, 1),
                       doctest::Contains("more than a schedule can count"), Error);
  // The largest run that fits: one step per epoch for INT64_MAX / 2 epochs.
  auto schedule = make_schedule({.name = "cosine"}, 0.1, 1, kMax / 2);
  CHECK(schedule->lr_at(kMax) == doctest::Approx(0.0));
}

namespace {

/// Parses `args` (after the program name) with the examples' optimizer and schedule options.
struct ParsedFlags {
  OptimizerOptions optimizer;
  ScheduleOptions schedule;
  CLI::App app{"test"};

  explicit ParsedFlags(std::vector<std::string> args) {
    add_optimizer_options(app, optimizer);
    add_schedule_options(app, schedule);
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
    app.parse(args);
  }
};

/// CHECKs schedule.lr_at(step) for each (step, expected) pair.
void check_rates(const optim::LrSchedule& schedule,
                 const std::vector<std::pair<int64_t, double>>& expected) {
  for (const auto& [step, lr] : expected) {
    INFO("step " << step);
    CHECK(schedule.lr_at(step) == doctest::Approx(lr).epsilon(1e-9));
  }
}

}  // namespace

TEST_CASE("each optimizer flag reaches the optimizer it configures") {
  const Tensor x = ones({1}).requires_grad_();
  {
    ParsedFlags flags({"--optimizer", "sgd", "--lr", "0.2", "--momentum", "0.5", "--momentum-form",
                       "lr_inside", "--nesterov", "--weight-decay", "0.01"});
    auto optimizer = make_optimizer(flags.optimizer, {x});
    auto* sgd = dynamic_cast<optim::SGD*>(optimizer.get());
    REQUIRE(sgd != nullptr);
    CHECK(sgd->options().lr == 0.2);
    CHECK(sgd->options().momentum == 0.5);
    CHECK(sgd->options().momentum_form == optim::MomentumForm::LrInside);
    CHECK(sgd->options().nesterov);
    CHECK(sgd->options().weight_decay == 0.01);
  }
  {
    auto optimizer =
        make_optimizer(ParsedFlags({"--optimizer", "rmsprop", "--momentum", "0.3"}).optimizer, {x});
    CHECK(dynamic_cast<optim::RMSprop&>(*optimizer).options().momentum == 0.3);
  }
  {
    auto optimizer = make_optimizer(
        ParsedFlags({"--optimizer", "amsgrad", "--weight-decay", "0.1"}).optimizer, {x});
    const auto& adam = dynamic_cast<optim::Adam&>(*optimizer);
    CHECK(adam.options().amsgrad);
    CHECK(adam.options().weight_decay == 0.1);
  }
  {
    auto optimizer = make_optimizer(
        ParsedFlags({"--optimizer", "adamw", "--weight-decay", "0.3"}).optimizer, {x});
    CHECK(dynamic_cast<optim::AdamW&>(*optimizer).options().weight_decay == 0.3);
  }
  const std::vector<std::pair<std::string, std::string>> kinds = {{"adagrad", "Adagrad"},
                                                                  {"adadelta", "Adadelta"},
                                                                  {"adam", "Adam"},
                                                                  {"nadam", "NAdam"},
                                                                  {"radam", "RAdam"}};
  for (const auto& [name, kind] : kinds) {
    auto optimizer = make_optimizer(
        ParsedFlags({"--optimizer", name, "--lr", "0.3", "--weight-decay", "0.2"}).optimizer, {x});
    INFO(name);
    CHECK(optimizer->kind() == kind);
    CHECK(optimizer->lr() == 0.3);
    int64_t weight_decays = 0;
    const optim::StateDict dict = optimizer->state_dict();
    for (const optim::StateField& option : dict.groups[0].options) {
      if (option.name != "weight_decay") continue;
      CHECK(option.scalar == 0.2);
      ++weight_decays;
    }
    CHECK(weight_decays == 1);
  }
  {
    auto optimizer =
        make_optimizer(ParsedFlags({"--optimizer", "lbfgs", "--lr", "0.5"}).optimizer, {x});
    const auto& lbfgs = dynamic_cast<optim::LBFGS&>(*optimizer);
    CHECK(lbfgs.options().lr == 0.5);
    CHECK(lbfgs.options().line_search == optim::LineSearch::StrongWolfe);
  }
}

TEST_CASE("each schedule flag changes the rates it configures") {
  // lr 0.1, 10 steps per epoch, 3 epochs (30 steps); lengths are in epochs.
  const auto schedule = [](const std::vector<std::string>& args) {
    return make_schedule(ParsedFlags(args).schedule, 0.1, 10, 3);
  };
  // step: every 2 epochs = 20 steps, × 0.5
  check_rates(*schedule({"--schedule", "step", "--step-size", "2", "--gamma", "0.5"}),
              {{19, 0.1}, {20, 0.05}});
  // multistep: at epochs 1 and 2.5 = steps 10 and 25, × 0.1
  check_rates(*schedule({"--schedule", "multistep", "--milestones", "1", "2.5"}),
              {{9, 0.1}, {10, 0.01}, {25, 0.001}});
  // exponential: 0.5 per epoch = 0.5^(1/10) per step
  check_rates(*schedule({"--schedule", "exponential", "--gamma", "0.5"}),
              {{10, 0.05}, {20, 0.025}});
  // inverse_time: T = 2 epochs = 20 steps, power 2: 0.1 (1 + 20/20)^-2 = 0.025
  check_rates(*schedule({"--schedule", "inverse_time", "--decay-epochs", "2", "--power", "2"}),
              {{20, 0.025}});
  // linear to 0.02 over 30 steps: halfway 0.06
  check_rates(*schedule({"--schedule", "linear", "--min-lr", "0.02"}), {{15, 0.06}, {30, 0.02}});
  // polynomial power 2 to 0: halfway 0.1 · 0.25
  check_rates(*schedule({"--schedule", "polynomial", "--power", "2"}), {{15, 0.025}});
  // cosine to 0.02: halfway 0.02 + 0.08 / 2
  check_rates(*schedule({"--schedule", "cosine", "--min-lr", "0.02"}), {{15, 0.06}, {30, 0.02}});
  // warm_restarts: T_0 = 1 epoch = 10 steps, T_mult 2: restarts at 10 and 30; step 20 is halfway
  check_rates(
      *schedule({"--schedule", "warm_restarts", "--cycle-epochs", "1", "--cycle-mult", "2"}),
      {{10, 0.1}, {20, 0.05}});
  // cyclic: half cycle 1 epoch = 10 steps, peak 0.5; triangular2 halves the second peak (step 30)
  check_rates(*schedule({"--schedule", "cyclic", "--max-lr", "0.5", "--cycle-epochs", "1"}),
              {{5, 0.3}, {10, 0.5}, {30, 0.5}});
  check_rates(*schedule({"--schedule", "cyclic", "--max-lr", "0.5", "--cycle-epochs", "1",
                         "--cyclic-mode", "triangular2"}),
              {{10, 0.5}, {30, 0.3}});
  check_rates(*schedule({"--schedule", "cyclic", "--max-lr", "0.5", "--cycle-epochs", "1",
                         "--cyclic-mode", "exp_range", "--gamma", "0.9"}),
              {{10, 0.1 + 0.4 * std::pow(0.9, 10)}});
  // one_cycle from --lr 0.1 up to --max-lr 1 (peak at 0.5 · 30 - 1 = step 14), down to --min-lr
  check_rates(*schedule({"--schedule", "one_cycle", "--max-lr", "1", "--pct-start", "0.5",
                         "--min-lr", "0.001"}),
              {{0, 0.1}, {14, 1.0}, {29, 0.001}});
  // --warmup-epochs 1: 10 steps from 0 up to the schedule's start
  check_rates(*schedule({"--schedule", "constant", "--warmup-epochs", "1"}),
              {{0, 0.0}, {5, 0.05}, {10, 0.1}});
  check_rates(*schedule({"--schedule", "constant"}), {{0, 0.1}, {5, 0.1}});
  // plateau: factor 0.5, patience 0: the second, worse, metric halves the rate
  optim::ReduceLROnPlateau plateau = make_plateau(
      ParsedFlags({"--schedule", "plateau", "--plateau-factor", "0.5", "--plateau-patience", "0"})
          .schedule,
      0.1);
  plateau.update(1.0);
  CHECK(plateau.update(2.0) == doctest::Approx(0.05));
}

TEST_CASE("a flag the chosen optimizer or schedule would ignore is a usage error") {
  const auto refusal = [](const std::vector<std::string>& args) {
    ParsedFlags flags(args);
    try {
      refuse_unused_options(flags.app, flags.optimizer, flags.schedule);
    } catch (const CLI::ValidationError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  CHECK(refusal({"--optimizer", "lbfgs", "--weight-decay", "0.1"}) ==
        "--weight-decay: does nothing with --optimizer lbfgs; it applies to sgd, adagrad, rmsprop, "
        "adadelta, adam, amsgrad, adamw, nadam, radam");
  CHECK(refusal({"--schedule", "plateau", "--warmup-epochs", "1"}) ==
        "--warmup-epochs: does nothing with --schedule plateau; it applies to constant, step, "
        "multistep, exponential, inverse_time, linear, polynomial, cosine, warm_restarts, cyclic, "
        "one_cycle");
  CHECK(refusal({"--optimizer", "adam", "--momentum", "0.9"}) ==
        "--momentum: does nothing with --optimizer adam; it applies to sgd, rmsprop");
  CHECK(refusal({"--schedule", "cosine", "--gamma", "0.5"}) ==
        "--gamma: does nothing with --schedule cosine; it applies to step, multistep, exponential, "
        "cyclic");
  CHECK(refusal({"--schedule", "cyclic", "--gamma", "0.5"}) ==
        "--gamma: does nothing with --schedule cyclic unless --cyclic-mode exp_range");
  // Every flag that matters to the choice is accepted.
  CHECK(refusal({"--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9", "--nesterov",
                 "--schedule", "one_cycle", "--max-lr", "1", "--min-lr", "1e-4", "--pct-start",
                 "0.2", "--warmup-epochs", "1"})
            .empty());
  CHECK_THROWS_AS(ParsedFlags({"--lr", "0"}), CLI::ValidationError);  // a rate schedules scale
}
