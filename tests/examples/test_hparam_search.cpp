// The hyperparameter search's engine: the trials of a grid by value, random trials inside their
// ranges and reproducible, trials that diverge ranked last, and a trial reproducible for a seed.
#include <doctest/doctest.h>

#include <cmath>

#include "data/synthetic.h"
#include "examples/hparam_search/search.h"
#include "nn/activation.h"
#include "nn/linear.h"
#include "nn/sequential.h"

using namespace minidl;
using examples::Hyperparameters;
using examples::TrialResult;

namespace {

// Two moons, 200 to train on and 100 to validate, with a 2-16-2 tanh network.
examples::SearchProblem moons() {
  Generator generator(2);
  return {data::make_moons(200, 0.1F, generator), data::make_moons(100, 0.1F, generator),
          [](Generator& init) -> std::shared_ptr<nn::Module> {
            return std::make_shared<nn::Sequential>(nn::Linear({.in = 2, .out = 16}, init),
                                                    nn::Tanh(),
                                                    nn::Linear({.in = 16, .out = 2}, init));
          }};
}

}  // namespace

TEST_CASE("a grid tries every combination, lr slowest, on log scales with both ends") {
  const examples::SearchSpace space{.min_lr = 0.01,
                                    .max_lr = 1.0,
                                    .min_weight_decay = 1e-4,
                                    .max_weight_decay = 1e-2,
                                    .batch_sizes = {8, 32}};
  const std::vector<Hyperparameters> grid = examples::grid_trials(space, 3);
  REQUIRE(grid.size() == 18);
  CHECK(grid[0].lr == doctest::Approx(0.01));
  CHECK(grid[0].weight_decay == doctest::Approx(1e-4));
  CHECK(grid[0].batch_size == 8);
  CHECK(grid[1].batch_size == 32);
  CHECK(grid[2].weight_decay == doctest::Approx(1e-3));
  CHECK(grid[6].lr == doctest::Approx(0.1));
  CHECK(grid[17].lr == doctest::Approx(1.0));
  CHECK(grid[17].weight_decay == doctest::Approx(1e-2));
  CHECK(examples::grid_trials(space, 1).size() == 2);
  CHECK_THROWS_WITH(examples::grid_trials({.min_weight_decay = 0.0}, 2),
                    "hparam_search: the weight decay range [0, 0.01] must be positive and ordered "
                    "(a log scale has no 0)");
}

TEST_CASE("random trials stay in their ranges and repeat for a seed") {
  const examples::SearchSpace space{.batch_sizes = {16, 64}};
  Generator first(5), again(5);
  const std::vector<Hyperparameters> trials = examples::random_trials(space, 50, first);
  const std::vector<Hyperparameters> repeated = examples::random_trials(space, 50, again);
  REQUIRE(trials.size() == 50);
  bool both_batch_sizes = false;
  for (size_t i = 0; i < trials.size(); ++i) {
    CHECK(trials[i].lr >= space.min_lr);
    CHECK(trials[i].lr <= space.max_lr);
    CHECK(trials[i].weight_decay >= space.min_weight_decay);
    CHECK(trials[i].weight_decay <= space.max_weight_decay);
    CHECK((trials[i].batch_size == 16 || trials[i].batch_size == 64));
    both_batch_sizes |= trials[i].batch_size != trials[0].batch_size;
    CHECK(trials[i].lr == repeated[i].lr);
    CHECK(trials[i].weight_decay == repeated[i].weight_decay);
  }
  CHECK(both_batch_sizes);
}

TEST_CASE("a trial is reproducible for its seed, and one that diverges is ranked last") {
  const examples::SearchProblem problem = moons();
  const examples::TrialSettings settings{.steps = 30, .seed = 4};
  const TrialResult good = examples::run_trial(problem, {0.1, 1e-4, 20}, settings);
  const TrialResult again = examples::run_trial(problem, {0.1, 1e-4, 20}, settings);
  CHECK(good.steps == 30);  // 10 batches per epoch: three epochs
  CHECK_FALSE(good.diverged);
  CHECK(good.validation_loss == again.validation_loss);
  CHECK(good.validation_loss < std::log(2.0));
  const TrialResult slow = examples::run_trial(problem, {1e-4, 1e-4, 20}, settings);
  const TrialResult wild = examples::run_trial(problem, {1e12, 1e-4, 20}, settings);
  CHECK(wild.diverged);
  CHECK(wild.steps < 30);
  const std::vector<TrialResult> ranking = examples::ranked({wild, slow, good});
  CHECK(ranking[0].hyperparameters.lr == 0.1);
  CHECK(ranking[1].hyperparameters.lr == 1e-4);
  CHECK(ranking[2].diverged);
}
