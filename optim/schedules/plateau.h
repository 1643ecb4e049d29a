// ReduceLROnPlateau: the one stateful learning-rate controller. Feed it the validation metric
// once per epoch with update(metric); it returns the learning rate to use next.
//
//   improved  = metric < best (1 - threshold)   (mode Min, threshold_mode Rel)
//               metric < best - threshold       (mode Min, threshold_mode Abs)
//               metric > best (1 + threshold)   (mode Max, Rel)
//               metric > best + threshold       (mode Max, Abs)
//   improved:          best = metric, bad_epochs = 0
//   otherwise:         bad_epochs += 1
//   in cooldown:       cooldown_left -= 1, bad_epochs = 0   (bad epochs do not count)
//   bad_epochs > patience:  lr = max(lr · factor, min_lr)  (if that changes lr by more than eps),
//                           cooldown_left = cooldown, bad_epochs = 0
// Semantics as in PyTorch's ReduceLROnPlateau.
#pragma once

#include <cstdint>

namespace minidl::optim {

/// Whether a smaller or a larger metric is better.
enum class PlateauMode {
  Min,  ///< e.g. a loss
  Max,  ///< e.g. an accuracy
};

/// Whether `threshold` is relative to the best value or absolute.
enum class ThresholdMode {
  Rel,
  Abs,
};

/// Options of ReduceLROnPlateau; defaults match PyTorch's.
struct ReduceLROnPlateauOptions {
  PlateauMode mode = PlateauMode::Min;                ///< direction of improvement
  double factor = 0.1;                                ///< multiply the lr by this (in (0, 1))
  int64_t patience = 10;                              ///< bad epochs tolerated before reducing
  double threshold = 1e-4;                            ///< minimum change that counts
  ThresholdMode threshold_mode = ThresholdMode::Rel;  ///< how threshold is applied
  int64_t cooldown = 0;                               ///< epochs to wait after a reduction
  double min_lr = 0.0;                                ///< the lr never goes below this
  double eps = 1e-8;                                  ///< smaller reductions are skipped
};

/// Reduces the learning rate when a metric stops improving.
class ReduceLROnPlateau {
 public:
  /// Starts at `initial_lr`; validates the options.
  ReduceLROnPlateau(double initial_lr, ReduceLROnPlateauOptions options = {});
  /// Records one epoch's metric (finite) and returns the learning rate for the next epoch.
  double update(double metric);
  /// The current learning rate.
  double lr() const { return lr_; }
  /// lr() / initial_lr: the factor for Optimizer::set_lr_factor, which scales every parameter
  /// group's own initial rate (throws when initial_lr is 0).
  double factor() const;
  /// The best metric so far (±infinity before the first update).
  double best() const { return best_; }
  /// Consecutive epochs without improvement (outside cooldown).
  int64_t bad_epochs() const { return bad_epochs_; }
  /// Epochs of cooldown still to run.
  int64_t cooldown_left() const { return cooldown_left_; }
  /// Number of reductions so far.
  int64_t reductions() const { return reductions_; }

 private:
  bool improves(double metric) const;
  ReduceLROnPlateauOptions options_;
  double initial_lr_;
  double lr_;
  double best_;
  int64_t bad_epochs_ = 0;
  int64_t cooldown_left_ = 0;
  int64_t reductions_ = 0;
};

}  // namespace minidl::optim
