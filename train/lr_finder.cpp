// The learning-rate range test (see lr_finder.h). The model, optimizer and loader are saved
// before the test as the bytes of a training checkpoint and restored from them afterwards, so
// everything a checkpoint resumes is put back exactly.
#include "train/lr_finder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "train/checkpoint.h"
#include "train/loop.h"

namespace minidl::train {

namespace {

void check_options(const LrFinderOptions& options) {
  MINIDL_CHECK(options.start_lr > 0.0 && std::isfinite(options.start_lr),
               "find_lr: start_lr must be positive and finite, got {}", options.start_lr);
  MINIDL_CHECK(options.end_lr > options.start_lr && std::isfinite(options.end_lr),
               "find_lr: end_lr must be finite and above start_lr {}, got {}", options.start_lr,
               options.end_lr);
  MINIDL_CHECK(options.steps >= 3, "find_lr: steps must be at least 3, got {}", options.steps);
  MINIDL_CHECK(options.smoothing >= 0.0 && options.smoothing < 1.0,
               "find_lr: smoothing must be in [0, 1), got {}", options.smoothing);
  MINIDL_CHECK(options.divergence_factor > 1.0,
               "find_lr: divergence_factor must be above 1, got {}", options.divergence_factor);
}

// The training steps of the test, appended to result.points; sets result.diverged when it stops
// early.
void run_steps(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
               const LrFinderOptions& options, LrFinderResult& result) {
  const double beta = options.smoothing;
  double average = 0.0;  // the moving average before bias correction
  double lowest = std::numeric_limits<double>::infinity();
  for (int64_t step = 0;;) {
    for (const data::Example& batch : loader) {
      const double fraction = static_cast<double>(step) / static_cast<double>(options.steps - 1);
      const double lr = options.start_lr * std::pow(options.end_lr / options.start_lr, fraction);
      optimizer.set_lr(lr);
      const double loss = train_step_unchecked(model, optimizer, batch).loss;
      average = beta * average + (1.0 - beta) * loss;
      const double smoothed = average / (1.0 - std::pow(beta, static_cast<double>(step + 1)));
      result.points.push_back({.step = step, .lr = lr, .loss = loss, .smoothed_loss = smoothed});
      if (!std::isfinite(smoothed) || smoothed > options.divergence_factor * lowest) {
        result.diverged = true;
        return;
      }
      lowest = std::min(lowest, smoothed);
      if (++step == options.steps) return;
    }
  }
}

// The point where the smoothed loss falls fastest against log(lr) (central differences) among
// the first `count` points, or none when it never falls. The first tenth of the planned steps is
// left out: there the average holds only a few noisy batch losses.
std::optional<size_t> steepest_descent(const std::vector<LrFinderPoint>& points, size_t count,
                                       int64_t planned_steps) {
  std::optional<size_t> steepest;
  double steepest_slope = 0.0;
  for (size_t i = std::max<size_t>(1, static_cast<size_t>(planned_steps / 10)); i + 1 < count;
       ++i) {
    const double slope = (points[i + 1].smoothed_loss - points[i - 1].smoothed_loss) /
                         (std::log(points[i + 1].lr) - std::log(points[i - 1].lr));
    if (slope < steepest_slope) {
      steepest_slope = slope;
      steepest = i;
    }
  }
  return steepest;
}

}  // namespace

double LrFinderResult::suggested_lr() const {
  MINIDL_CHECK(suggestion.has_value(),
               "find_lr: no suggestion: the smoothed loss never fell over {} steps{}",
               points.size(), diverged ? " before it diverged (lower start_lr)" : "");
  return points[*suggestion].lr;
}

LrFinderResult find_lr(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
                       const LrFinderOptions& options) {
  check_options(options);
  const bool was_training = model.is_training();
  const TrainingState state{model, optimizer, loader};
  const std::string snapshot = encode_training_checkpoint(state, {});
  auto restore = [&] {
    load_training_checkpoint_bytes(state, snapshot, "find_lr's snapshot");
    model.zero_grad();
    model.train(was_training);
  };
  LrFinderResult result;
  try {
    model.train();
    run_steps(model, optimizer, loader, options, result);
  } catch (...) {
    restore();
    throw;
  }
  restore();
  const size_t before_divergence = result.points.size() - (result.diverged ? 1 : 0);
  result.suggestion = steepest_descent(result.points, before_divergence, options.steps);
  return result;
}

}  // namespace minidl::train
