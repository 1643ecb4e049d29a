// The engine of examples/hparam_search: which trials a random or a grid search runs over the
// learning rate, the weight decay and the batch size, how one trial trains a fresh model for a
// fixed number of steps and scores it on held-out validation data, and the ranking. Every trial
// starts from the same initial weights and the same data order (both from the seed), so trials
// differ only in their hyperparameters, and a search is deterministic for its seed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/generator.h"
#include "data/dataset.h"
#include "examples/common/optim_factory.h"
#include "nn/module.h"

namespace minidl::examples {

/// The hyperparameters one trial uses.
struct Hyperparameters {
  double lr = 0.0;
  double weight_decay = 0.0;
  int64_t batch_size = 0;
};

/// Where the search looks: lr and weight decay on log scales, batch sizes from a list.
struct SearchSpace {
  double min_lr = 1e-3;
  double max_lr = 1.0;
  double min_weight_decay = 1e-6;
  double max_weight_decay = 1e-2;
  std::vector<int64_t> batch_sizes = {16, 64, 256};
};

/// `count` trials, each drawn independently: lr and weight decay log-uniform in their ranges (lr
/// drawn first), then a batch size uniformly from the list.
std::vector<Hyperparameters> random_trials(const SearchSpace& space, int64_t count,
                                           Generator& generator);

/// Every combination of `points` log-spaced learning rates and `points` log-spaced weight decays
/// (each range's ends included; one point: its lower end) with every batch size, the learning
/// rate varying slowest.
std::vector<Hyperparameters> grid_trials(const SearchSpace& space, int64_t points);

/// What a search trains: data split in two and a factory for the model.
struct SearchProblem {
  std::shared_ptr<const data::Dataset> train;
  std::shared_ptr<const data::Dataset> validation;
  /// A fresh model initialised from the generator.
  std::function<std::shared_ptr<nn::Module>(Generator&)> make_model;
};

/// How one trial trains: the optimizer (its lr and weight decay come from the trial), the number
/// of steps, and the seed of the initial weights and of the data order.
struct TrialSettings {
  OptimizerOptions optimizer{.momentum = 0.9};
  int64_t steps = 200;
  uint64_t seed = 1;
};

/// What one trial reached.
struct TrialResult {
  Hyperparameters hyperparameters;
  double validation_loss = 0.0;      ///< mean cross-entropy; infinite when diverged
  double validation_accuracy = 0.0;  ///< fraction in [0, 1]
  int64_t steps = 0;                 ///< steps taken (fewer when it diverged)
  double seconds = 0.0;              ///< wall time of training and validation
  bool diverged = false;             ///< the training loss became NaN or infinite
};

/// Trains a fresh model with `hyperparameters` for settings.steps steps (over as many epochs as
/// that takes) and evaluates it on the validation data; a trial whose loss stops being finite
/// ends there as diverged.
TrialResult run_trial(const SearchProblem& problem, const Hyperparameters& hyperparameters,
                      const TrialSettings& settings);

/// `results` best first: by validation loss, diverged trials last, ties in the given order.
std::vector<TrialResult> ranked(std::vector<TrialResult> results);

}  // namespace minidl::examples
