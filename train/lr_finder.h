// The learning-rate range test ("LR finder"; Smith, "Cyclical Learning Rates for Training Neural
// Networks", WACV 2017, section 3.3): from the current state, train for up to `steps` steps while
// the learning rate grows exponentially from start_lr to end_lr, record the loss smoothed by a
// bias-corrected exponential moving average, stop once the smoothed loss has diverged, then put
// the model, the optimizer and the loader back exactly as they were. The suggested rate is where
// the smoothed loss falls fastest against log(lr): large enough to learn quickly, well below the
// rates where training blows up.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "data/dataloader.h"
#include "nn/module.h"
#include "optim/optimizer.h"

namespace minidl::train {

/// Options of the learning-rate range test.
struct LrFinderOptions {
  double start_lr = 1e-6;          ///< the rate of the first step (> 0)
  double end_lr = 10.0;            ///< the rate of the last step (> start_lr)
  int64_t steps = 100;             ///< steps at most (>= 3)
  double smoothing = 0.98;         ///< β of the moving average of the loss, in [0, 1)
  double divergence_factor = 4.0;  ///< stop once the smoothed loss exceeds this × its minimum (> 1)
};

/// One step of the range test.
struct LrFinderPoint {
  int64_t step = 0;            ///< from 0
  double lr = 0.0;             ///< start_lr · (end_lr / start_lr)^(step / (steps − 1))
  double loss = 0.0;           ///< the batch's loss before the step
  double smoothed_loss = 0.0;  ///< a = β·a + (1 − β)·loss, reported as a / (1 − β^(step+1))
};

/// What the range test saw.
struct LrFinderResult {
  std::vector<LrFinderPoint> points;  ///< one per step taken
  /// True when the test stopped early: the smoothed loss of the last point exceeded
  /// divergence_factor × the minimum, or its loss was not finite.
  bool diverged = false;
  /// The index in `points` of the suggested rate: the steepest descent of the smoothed loss
  /// against log(lr), among the points before divergence except the first steps / 10 (where the
  /// average holds only a few noisy batch losses). Empty when the smoothed loss never
  /// falls (start_lr already too high, or a model that does not learn) or fewer than 3 points
  /// came before divergence.
  std::optional<size_t> suggestion;

  /// The suggested learning rate (throws minidl::Error when there is no suggestion).
  double suggested_lr() const;
};

/// Runs the range test on cross-entropy training (train_step) with batches from `loader`,
/// starting at its next epoch and going on into the following ones when `steps` exceeds one
/// epoch, with the model in training mode. Afterwards (also when an exception escapes) the
/// model's parameters, buffers and generators, the optimizer's state and learning rate, the
/// loader's epoch and the model's training mode are those it started with, and the gradients are
/// cleared.
LrFinderResult find_lr(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
                       const LrFinderOptions& options = {});

}  // namespace minidl::train
