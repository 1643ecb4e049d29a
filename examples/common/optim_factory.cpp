// Optimizers and schedules by name (see optim_factory.h).
#include "examples/common/optim_factory.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/error.h"
#include "examples/common/cli.h"

namespace minidl::examples {

namespace {

optim::MomentumForm momentum_form(const std::string& name) {
  if (name == "moving_average") return optim::MomentumForm::MovingAverage;
  if (name == "lr_inside") return optim::MomentumForm::LrInside;
  return optim::MomentumForm::HeavyBall;
}

optim::CyclicMode cyclic_mode(const std::string& name) {
  if (name == "triangular2") return optim::CyclicMode::Triangular2;
  if (name == "exp_range") return optim::CyclicMode::ExpRange;
  return optim::CyclicMode::Triangular;
}

// `epochs` epochs as a number of steps (at least 1). The product is taken in double, so a huge
// --epochs cannot wrap around; a count beyond int64 is refused.
int64_t to_steps(double epochs, int64_t steps_per_epoch) {
  const double steps = epochs * static_cast<double>(steps_per_epoch);
  MINIDL_CHECK(steps < 0x1p63, "{} epochs of {} steps are {} steps, more than a schedule can count",
               epochs, steps_per_epoch, steps);
  return std::max<int64_t>(1, std::llround(steps));
}

}  // namespace

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd",   "adagrad", "rmsprop", "adadelta",
                                                 "adam",  "amsgrad", "adamw",   "nadam",
                                                 "radam", "lbfgs"};
  return names;
}

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = {
      "constant",   "step",   "multistep",     "exponential", "inverse_time", "linear",
      "polynomial", "cosine", "warm_restarts", "cyclic",      "one_cycle",    "plateau"};
  return names;
}

void add_optimizer_options(CLI::App& app, OptimizerOptions& config) {
  app.add_option("--optimizer", config.name, "optimizer")->check(cli::one_of(optimizer_names()));
  app.add_option("--lr", config.lr, "learning rate (> 0; schedules scale it)")
      ->check(cli::positive_number());
  app.add_option("--momentum", config.momentum, "momentum (sgd, rmsprop)")
      ->check(cli::number_in(0.0, 1.0, true));
  app.add_option("--momentum-form", config.momentum_form, "sgd momentum formula")
      ->check(cli::one_of({"heavy_ball", "moving_average", "lr_inside"}));
  app.add_flag("--nesterov", config.nesterov, "sgd: Nesterov momentum");
  app.add_option("--weight-decay", config.weight_decay,
                 "L2 weight decay (decoupled for adamw; lbfgs has none)")
      ->check(cli::non_negative_number());
}

void add_schedule_options(CLI::App& app, ScheduleOptions& config) {
  const std::string group = "Learning-rate schedule (lengths in epochs)";
  app.add_option("--schedule", config.name, "schedule")
      ->check(cli::one_of(schedule_names()))
      ->group(group);
  app.add_option("--step-size", config.step_size, "step: epochs between decays")
      ->check(cli::positive_number())
      ->group(group);
  app.add_option("--milestones", config.milestones, "multistep: epochs where gamma applies")
      ->check(cli::non_negative_number())
      ->group(group);
  app.add_option("--gamma", config.gamma, "decay factor (step, multistep, exponential per epoch)")
      ->check(cli::positive_number())
      ->group(group);
  app.add_option("--power", config.power, "inverse_time, polynomial power")
      ->check(cli::non_negative_number())
      ->group(group);
  app.add_option("--decay-epochs", config.decay_epochs, "inverse_time: T")
      ->check(cli::positive_number())
      ->group(group);
  app.add_option("--min-lr", config.min_lr,
                 "lr floor (cosine, warm_restarts, linear, polynomial); one_cycle's last lr (0: "
                 "lr / 1e4)")
      ->check(cli::non_negative_number())
      ->group(group);
  app.add_option("--cycle-epochs", config.cycle_epochs, "warm_restarts T_0, cyclic half cycle")
      ->check(cli::positive_number())
      ->group(group);
  app.add_option("--cycle-mult", config.cycle_mult, "warm_restarts T_mult")
      ->check(cli::integer_at_least(1))
      ->group(group);
  app.add_option("--max-lr", config.max_lr, "cyclic, one_cycle peak lr (one_cycle starts at --lr)")
      ->check(cli::positive_number())
      ->group(group);
  app.add_option("--cyclic-mode", config.cyclic_mode, "triangular | triangular2 | exp_range")
      ->check(cli::one_of({"triangular", "triangular2", "exp_range"}))
      ->group(group);
  app.add_option("--pct-start", config.pct_start, "one_cycle: fraction of the run rising")
      ->check(cli::number_in(0.0, 1.0))
      ->group(group);
  app.add_option("--warmup-epochs", config.warmup_epochs,
                 "linear warmup before the schedule (not plateau)")
      ->check(cli::non_negative_number())
      ->group(group);
  app.add_option("--plateau-factor", config.plateau_factor, "plateau: lr factor")
      ->check(cli::number_in(0.0, 1.0, true))
      ->group(group);
  app.add_option("--plateau-patience", config.plateau_patience, "plateau: patience in epochs")
      ->check(cli::integer_at_least(0))
      ->group(group);
}

std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerOptions& c,
                                                 std::vector<Tensor> params) {
  const double lr = c.lr;
  const double wd = c.weight_decay;
  if (c.name == "sgd") {
    return std::make_unique<optim::SGD>(
        params, optim::SGDOptions{.lr = lr,
                                  .momentum = c.momentum,
                                  .momentum_form = momentum_form(c.momentum_form),
                                  .nesterov = c.nesterov,
                                  .weight_decay = wd});
  }
  if (c.name == "adagrad")
    return std::make_unique<optim::Adagrad>(params,
                                            optim::AdagradOptions{.lr = lr, .weight_decay = wd});
  if (c.name == "rmsprop") {
    return std::make_unique<optim::RMSprop>(
        params, optim::RMSpropOptions{.lr = lr, .weight_decay = wd, .momentum = c.momentum});
  }
  if (c.name == "adadelta")
    return std::make_unique<optim::Adadelta>(params,
                                             optim::AdadeltaOptions{.lr = lr, .weight_decay = wd});
  if (c.name == "adam")
    return std::make_unique<optim::Adam>(params, optim::AdamOptions{.lr = lr, .weight_decay = wd});
  if (c.name == "amsgrad")
    return std::make_unique<optim::Adam>(
        params, optim::AdamOptions{.lr = lr, .weight_decay = wd, .amsgrad = true});
  if (c.name == "adamw")
    return std::make_unique<optim::AdamW>(params,
                                          optim::AdamWOptions{.lr = lr, .weight_decay = wd});
  if (c.name == "nadam")
    return std::make_unique<optim::NAdam>(params,
                                          optim::NAdamOptions{.lr = lr, .weight_decay = wd});
  if (c.name == "radam")
    return std::make_unique<optim::RAdam>(params,
                                          optim::RAdamOptions{.lr = lr, .weight_decay = wd});
  if (c.name == "lbfgs") {
    return std::make_unique<optim::LBFGS>(
        params, optim::LBFGSOptions{.lr = lr, .line_search = optim::LineSearch::StrongWolfe});
  }
  throw Error(
      fmt::format("unknown optimizer '{}' (expected one of {})", c.name, optimizer_names()));
}

std::shared_ptr<const optim::LrSchedule> make_schedule(const ScheduleOptions& c, double lr,
                                                       int64_t steps_per_epoch, int64_t epochs) {
  const int64_t total = to_steps(static_cast<double>(epochs), steps_per_epoch);
  auto steps = [&](double e) { return to_steps(e, steps_per_epoch); };
  std::shared_ptr<const optim::LrSchedule> schedule;
  if (c.name == "constant" || c.name == "plateau") {
    schedule = std::make_shared<optim::ConstantLR>(optim::ConstantLROptions{.lr = lr});
  } else if (c.name == "step") {
    schedule = std::make_shared<optim::StepLR>(
        optim::StepLROptions{.lr = lr, .step_size = steps(c.step_size), .gamma = c.gamma});
  } else if (c.name == "multistep") {
    std::vector<int64_t> milestones;
    for (double e : c.milestones) milestones.push_back(steps(e));
    schedule = std::make_shared<optim::MultiStepLR>(
        optim::MultiStepLROptions{.lr = lr, .milestones = milestones, .gamma = c.gamma});
  } else if (c.name == "exponential") {
    // gamma is per epoch on the command line; per step it is gamma^(1 / steps_per_epoch).
    const double per_step = std::pow(c.gamma, 1.0 / static_cast<double>(steps_per_epoch));
    schedule = std::make_shared<optim::ExponentialLR>(
        optim::ExponentialLROptions{.lr = lr, .gamma = per_step});
  } else if (c.name == "inverse_time") {
    schedule = std::make_shared<optim::InverseTimeLR>(optim::InverseTimeLROptions{
        .lr = lr, .decay_steps = static_cast<double>(steps(c.decay_epochs)), .power = c.power});
  } else if (c.name == "linear" || c.name == "polynomial") {
    schedule = std::make_shared<optim::PolynomialLR>(
        optim::PolynomialLROptions{.lr = lr,
                                   .min_lr = c.min_lr,
                                   .total_steps = total,
                                   .power = c.name == "linear" ? 1.0 : c.power});
  } else if (c.name == "cosine") {
    schedule = std::make_shared<optim::CosineAnnealingLR>(
        optim::CosineAnnealingLROptions{.lr = lr, .total_steps = total, .min_lr = c.min_lr});
  } else if (c.name == "warm_restarts") {
    schedule = std::make_shared<optim::CosineWarmRestarts>(
        optim::CosineWarmRestartsOptions{.lr = lr,
                                         .first_cycle_steps = steps(c.cycle_epochs),
                                         .cycle_mult = c.cycle_mult,
                                         .min_lr = c.min_lr});
  } else if (c.name == "cyclic") {
    schedule = std::make_shared<optim::CyclicLR>(
        optim::CyclicLROptions{.base_lr = lr,
                               .max_lr = c.max_lr,
                               .step_size_up = steps(c.cycle_epochs),
                               .mode = cyclic_mode(c.cyclic_mode),
                               .gamma = c.gamma});
  } else if (c.name == "one_cycle") {
    // From `lr` (the optimizer's rate: div_factor = max_lr / lr) up to max_lr, then down to
    // min_lr, or to lr / 1e4 (PyTorch's default final_div_factor) when min_lr is 0.
    const optim::OneCycleLROptions defaults;
    schedule = std::make_shared<optim::OneCycleLR>(optim::OneCycleLROptions{
        .max_lr = c.max_lr,
        .total_steps = total,
        .pct_start = c.pct_start,
        .div_factor = c.max_lr / lr,
        .final_div_factor = c.min_lr > 0.0 ? lr / c.min_lr : defaults.final_div_factor});
  } else {
    throw Error(
        fmt::format("unknown schedule '{}' (expected one of {})", c.name, schedule_names()));
  }
  if (c.warmup_epochs > 0.0) {
    schedule = std::make_shared<optim::LinearWarmup>(
        schedule, optim::LinearWarmupOptions{.warmup_steps = steps(c.warmup_epochs)});
  }
  return schedule;
}

optim::ReduceLROnPlateau make_plateau(const ScheduleOptions& config, double lr) {
  return optim::ReduceLROnPlateau(
      lr, {.factor = config.plateau_factor, .patience = config.plateau_patience});
}

void refuse_unused_options(const CLI::App& app, const OptimizerOptions& optimizer,
                           const ScheduleOptions& schedule) {
  // Each flag with the optimizers or schedules that use it; every other choice ignores it.
  struct Use {
    std::string_view flag;
    bool of_optimizer;  // true: `users` are optimizers, false: schedules
    std::vector<std::string_view> users;
  };
  static const std::vector<Use> uses = {
      {"--momentum", true, {"sgd", "rmsprop"}},
      {"--momentum-form", true, {"sgd"}},
      {"--nesterov", true, {"sgd"}},
      {"--weight-decay",
       true,
       {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "amsgrad", "adamw", "nadam", "radam"}},
      {"--step-size", false, {"step"}},
      {"--milestones", false, {"multistep"}},
      {"--gamma", false, {"step", "multistep", "exponential", "cyclic"}},
      {"--power", false, {"inverse_time", "polynomial"}},
      {"--decay-epochs", false, {"inverse_time"}},
      {"--min-lr", false, {"linear", "polynomial", "cosine", "warm_restarts", "one_cycle"}},
      {"--cycle-epochs", false, {"warm_restarts", "cyclic"}},
      {"--cycle-mult", false, {"warm_restarts"}},
      {"--max-lr", false, {"cyclic", "one_cycle"}},
      {"--cyclic-mode", false, {"cyclic"}},
      {"--pct-start", false, {"one_cycle"}},
      {"--warmup-epochs",
       false,
       {"constant", "step", "multistep", "exponential", "inverse_time", "linear", "polynomial",
        "cosine", "warm_restarts", "cyclic", "one_cycle"}},
      {"--plateau-factor", false, {"plateau"}},
      {"--plateau-patience", false, {"plateau"}},
  };
  for (const Use& use : uses) {
    if (app.count(std::string(use.flag)) == 0) continue;
    const std::string& chosen = use.of_optimizer ? optimizer.name : schedule.name;
    if (std::find(use.users.begin(), use.users.end(), chosen) != use.users.end()) continue;
    throw CLI::ValidationError(std::string(use.flag),
                               fmt::format("does nothing with {} {}; it applies to {}",
                                           use.of_optimizer ? "--optimizer" : "--schedule", chosen,
                                           fmt::join(use.users, ", ")));
  }
  if (app.count("--gamma") > 0 && schedule.name == "cyclic" &&
      schedule.cyclic_mode != "exp_range") {
    throw CLI::ValidationError(
        "--gamma", "does nothing with --schedule cyclic unless --cyclic-mode exp_range");
  }
}

}  // namespace minidl::examples
