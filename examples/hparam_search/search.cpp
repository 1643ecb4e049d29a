// Random and grid search (see search.h).
#include "examples/hparam_search/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "data/dataloader.h"
#include "train/loop.h"

namespace minidl::examples {

namespace {

void check_space(const SearchSpace& space) {
  MINIDL_CHECK(space.min_lr > 0.0 && space.max_lr >= space.min_lr,
               "hparam_search: the lr range [{}, {}] must be positive and ordered", space.min_lr,
               space.max_lr);
  MINIDL_CHECK(space.min_weight_decay > 0.0 && space.max_weight_decay >= space.min_weight_decay,
               "hparam_search: the weight decay range [{}, {}] must be positive and ordered (a "
               "log scale has no 0)",
               space.min_weight_decay, space.max_weight_decay);
  MINIDL_CHECK(!space.batch_sizes.empty(), "hparam_search: no batch sizes to try");
  for (int64_t batch_size : space.batch_sizes) {
    MINIDL_CHECK(batch_size > 0, "hparam_search: batch size {} is not positive", batch_size);
  }
}

// low·(high/low)^fraction: `fraction` in [0, 1] on a log scale from low to high.
double log_between(double low, double high, double fraction) {
  return low * std::pow(high / low, fraction);
}

}  // namespace

std::vector<Hyperparameters> random_trials(const SearchSpace& space, int64_t count,
                                           Generator& generator) {
  check_space(space);
  std::vector<Hyperparameters> trials;
  for (int64_t i = 0; i < count; ++i) {
    Hyperparameters trial;
    trial.lr = log_between(space.min_lr, space.max_lr, generator.uniform());
    trial.weight_decay =
        log_between(space.min_weight_decay, space.max_weight_decay, generator.uniform());
    trial.batch_size = space.batch_sizes[generator.below(space.batch_sizes.size())];
    trials.push_back(trial);
  }
  return trials;
}

std::vector<Hyperparameters> grid_trials(const SearchSpace& space, int64_t points) {
  check_space(space);
  MINIDL_CHECK(points >= 1, "hparam_search: a grid needs at least 1 point per axis, got {}",
               points);
  auto fraction = [&](int64_t i) {
    return points == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(points - 1);
  };
  std::vector<Hyperparameters> trials;
  for (int64_t i = 0; i < points; ++i) {
    for (int64_t j = 0; j < points; ++j) {
      for (int64_t batch_size : space.batch_sizes) {
        trials.push_back({.lr = log_between(space.min_lr, space.max_lr, fraction(i)),
                          .weight_decay = log_between(space.min_weight_decay,
                                                      space.max_weight_decay, fraction(j)),
                          .batch_size = batch_size});
      }
    }
  }
  return trials;
}

TrialResult run_trial(const SearchProblem& problem, const Hyperparameters& hyperparameters,
                      const TrialSettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  Generator init(settings.seed);
  std::shared_ptr<nn::Module> model = problem.make_model(init);
  OptimizerOptions config = settings.optimizer;
  config.lr = hyperparameters.lr;
  config.weight_decay = hyperparameters.weight_decay;
  std::unique_ptr<optim::Optimizer> optimizer = make_optimizer(config, model->parameters());
  data::DataLoader loader(
      problem.train,
      {.batch_size = hyperparameters.batch_size, .shuffle = true, .seed = settings.seed});
  TrialResult result{.hyperparameters = hyperparameters};
  model->train();
  while (result.steps < settings.steps && !result.diverged) {
    for (const data::Example& batch : loader) {
      const double loss = train::train_step_unchecked(*model, *optimizer, batch).loss;
      ++result.steps;
      result.diverged = !std::isfinite(loss);
      if (result.diverged || result.steps == settings.steps) break;
    }
  }
  if (result.diverged) {
    result.validation_loss = std::numeric_limits<double>::infinity();
  } else {
    data::DataLoader validation(problem.validation, {.batch_size = 1000});
    const train::Tally tally = train::evaluate(*model, validation);
    result.validation_loss =
        std::isfinite(tally.loss()) ? tally.loss() : std::numeric_limits<double>::infinity();
    result.validation_accuracy = tally.accuracy();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<TrialResult> ranked(std::vector<TrialResult> results) {
  std::stable_sort(results.begin(), results.end(), [](const TrialResult& a, const TrialResult& b) {
    if (a.diverged != b.diverged) return !a.diverged;
    return a.validation_loss < b.validation_loss;
  });
  return results;
}

}  // namespace minidl::examples
