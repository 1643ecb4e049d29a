// The learning-rate range test on a small classifier of two moons: the rates grow
// exponentially, the smoothed loss is the bias-corrected moving average, the test stops when the
// loss diverges, the suggestion lies where the loss falls, and everything is put back afterwards.
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"
#include "train/loop.h"

using namespace minidl;

namespace {

// Two moons, a 2-16-2 tanh network, plain SGD: small enough to run the test in milliseconds.
struct MoonsRun {
  std::shared_ptr<nn::Sequential> model;
  std::unique_ptr<optim::SGD> optimizer;
  data::DataLoader loader;
};

MoonsRun moons_run(double momentum = 0.0) {
  Generator generator(7);
  auto dataset = data::make_moons(300, 0.1F, generator);  // 10 batches of 30
  auto model =
      std::make_shared<nn::Sequential>(nn::Linear({.in = 2, .out = 16}, generator), nn::Tanh(),
                                       nn::Linear({.in = 16, .out = 2}, generator));
  auto optimizer =
      std::make_unique<optim::SGD>(model->parameters(), optim::SGDOptions{.momentum = momentum});
  data::DataLoader loader(dataset, {.batch_size = 30, .shuffle = true, .seed = 3});
  return {model, std::move(optimizer), std::move(loader)};
}

const train::LrFinderOptions kWideRange{.start_lr = 1e-4, .end_lr = 1e3, .steps = 150};

}  // namespace

TEST_CASE("find_lr raises the rate exponentially from start_lr to end_lr") {
  MoonsRun run = moons_run();
  const train::LrFinderResult result = train::find_lr(
      *run.model, *run.optimizer, run.loader, {.start_lr = 1e-3, .end_lr = 1e-1, .steps = 21});
  REQUIRE(result.points.size() == 21);  // 21 steps > one epoch of 10 batches: it goes on
  CHECK_FALSE(result.diverged);
  CHECK(result.points.front().lr == doctest::Approx(1e-3));
  CHECK(result.points.back().lr == doctest::Approx(1e-1));
  for (size_t i = 1; i < result.points.size(); ++i) {
    CHECK(result.points[i].step == static_cast<int64_t>(i));
    CHECK(result.points[i].lr / result.points[i - 1].lr == doctest::Approx(std::pow(10.0, 0.1)));
  }
}

TEST_CASE("find_lr smooths the loss with a bias-corrected moving average") {
  MoonsRun run = moons_run();
  const train::LrFinderResult result =
      train::find_lr(*run.model, *run.optimizer, run.loader,
                     {.start_lr = 1e-3, .end_lr = 1e-2, .steps = 10, .smoothing = 0.9});
  double average = 0.0;
  for (size_t i = 0; i < result.points.size(); ++i) {
    average = 0.9 * average + 0.1 * result.points[i].loss;
    CHECK(result.points[i].smoothed_loss ==
          doctest::Approx(average / (1.0 - std::pow(0.9, static_cast<double>(i + 1)))));
  }
  CHECK(result.points[0].smoothed_loss == doctest::Approx(result.points[0].loss));
}

TEST_CASE("find_lr stops when the loss diverges and suggests a rate where it falls") {
  MoonsRun run = moons_run();
  const train::LrFinderResult result =
      train::find_lr(*run.model, *run.optimizer, run.loader, kWideRange);
  REQUIRE(result.diverged);
  CHECK(result.points.size() < static_cast<size_t>(kWideRange.steps));
  const train::LrFinderPoint& last = result.points.back();
  double lowest = result.points.front().smoothed_loss;
  for (size_t i = 0; i + 1 < result.points.size(); ++i)
    lowest = std::min(lowest, result.points[i].smoothed_loss);
  CHECK((!std::isfinite(last.smoothed_loss) || last.smoothed_loss > 4.0 * lowest));
  // Where the loss starts to fall: the first rate at which the smoothed loss is 3% below its
  // value after the first tenth of the steps (before that it averages only a few batches).
  const double settled = result.points[kWideRange.steps / 10].smoothed_loss;
  double starts_to_fall = 0.0;
  for (const train::LrFinderPoint& point : result.points) {
    if (point.smoothed_loss < 0.97 * settled) {
      starts_to_fall = point.lr;
      break;
    }
  }
  REQUIRE(starts_to_fall > 0.0);
  REQUIRE(result.suggestion.has_value());
  INFO("falls from lr ", starts_to_fall, ", suggests ", result.suggested_lr(), ", diverges at ",
       last.lr);
  CHECK(result.suggested_lr() >= starts_to_fall);
  CHECK(result.suggested_lr() < last.lr);
}

TEST_CASE("find_lr puts the model, the optimizer and the loader back") {
  MoonsRun run = moons_run(0.9);
  run.optimizer->set_lr(0.05);
  int64_t step = 0;
  train::train_epoch(*run.model, *run.optimizer, run.loader, step);  // momentum state, epoch 1
  run.model->eval();
  std::vector<std::vector<float>> before;
  for (const Tensor& param : run.model->parameters()) before.push_back(param.to_vector());
  const optim::StateDict state_before = run.optimizer->state_dict();

  const train::LrFinderResult result =
      train::find_lr(*run.model, *run.optimizer, run.loader, kWideRange);
  REQUIRE(result.points.size() > 20);  // it trained, and diverged: the weights went far
  const std::vector<Tensor> after = run.model->parameters();
  for (size_t i = 0; i < after.size(); ++i) {
    CHECK(after[i].to_vector() == before[i]);
    CHECK_FALSE(after[i].grad().defined());
  }
  CHECK(run.optimizer->lr() == 0.05);
  CHECK(run.optimizer->step_count() == state_before.step_count);
  CHECK(optim::encode_state(run.optimizer->state_dict()) == optim::encode_state(state_before));
  CHECK(run.loader.epoch() == 1);
  CHECK_FALSE(run.model->is_training());
}

TEST_CASE("find_lr refuses options that cannot make a range test") {
  MoonsRun run = moons_run();
  auto find = [&](train::LrFinderOptions options) {
    return train::find_lr(*run.model, *run.optimizer, run.loader, options);
  };
  CHECK_THROWS_WITH(find({.start_lr = 0.0}),
                    "find_lr: start_lr must be positive and finite, got 0");
  CHECK_THROWS_WITH(find({.start_lr = 1.0, .end_lr = 0.5}),
                    "find_lr: end_lr must be finite and above start_lr 1, got 0.5");
  CHECK_THROWS_WITH(find({.steps = 2}), "find_lr: steps must be at least 3, got 2");
  CHECK_THROWS_WITH(find({.smoothing = 1.0}), "find_lr: smoothing must be in [0, 1), got 1");
  CHECK_THROWS_WITH(find({.divergence_factor = 1.0}),
                    "find_lr: divergence_factor must be above 1, got 1");
}

TEST_CASE("a range test that starts too high has no suggestion") {
  MoonsRun run = moons_run();
  const train::LrFinderResult result =
      train::find_lr(*run.model, *run.optimizer, run.loader, {.start_lr = 1e3, .end_lr = 1e4});
  REQUIRE(result.diverged);
  CHECK(result.points.size() == 2);  // the first step already blew the loss up
  CHECK_FALSE(result.suggestion.has_value());
  CHECK_THROWS_WITH(result.suggested_lr(),
                    "find_lr: no suggestion: the smoothed loss never fell over 2 steps before it "
                    "diverged (lower start_lr)");
}
