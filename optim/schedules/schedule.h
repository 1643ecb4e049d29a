// LrSchedule: a learning-rate schedule as a pure function of the step, lr_at(step), so it can be
// printed, plotted and tested as a table before training, and shares no lifetime with an
// optimizer. Every schedule is written for a base rate α (base_lr()); applied with
// `opt.set_lr_factor(schedule.factor_at(step))`, it sets each parameter group's rate to the
// group's own initial rate times lr_at(step) / α, so groups keep their ratios (one group built
// with rate α follows lr_at(step) exactly). Steps count from 0; a negative step is an error. The
// one stateful controller, ReduceLROnPlateau, lives in plateau.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace minidl::optim {

/// A learning rate as a pure function of the step (0-based).
class LrSchedule {
 public:
  virtual ~LrSchedule() = default;
  /// The learning rate for step `step` (>= 0).
  virtual double lr_at(int64_t step) const = 0;
  /// The rate α the schedule is written for: the lr of its step 0, except for a warmup, whose
  /// α is the rate it ramps up to.
  virtual double base_lr() const = 0;
  /// lr_at(step) / base_lr(): the factor an optimizer applies to every group's initial rate
  /// (Optimizer::set_lr_factor); throws when the base rate is 0.
  double factor_at(int64_t step) const;
};

/// One row of a schedule preview.
struct LrPoint {
  int64_t step = 0;
  double lr = 0.0;
};

/// (step, lr_at(step)) for step = 0, every, 2·every, ... below `steps`, plus the last step.
std::vector<LrPoint> preview(const LrSchedule& schedule, int64_t steps, int64_t every = 1);

/// The preview as a text table: a "step  lr" header and one aligned row per point.
std::string preview_table(const LrSchedule& schedule, int64_t steps, int64_t every = 1);

namespace detail {
/// Throws naming `schedule` when `step` is negative.
void check_step(const char* schedule, int64_t step);
}  // namespace detail

}  // namespace minidl::optim
