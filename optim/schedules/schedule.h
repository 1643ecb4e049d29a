// LrSchedule: a learning-rate schedule as a pure function of the step, lr_at(step), so it can be
// printed, plotted and tested as a table before training, and shares no lifetime with an
// optimizer. Apply it with `opt.set_lr(schedule.lr_at(step))`. Steps count from 0; a negative
// step is an error. The one stateful controller, ReduceLROnPlateau, lives in plateau.h.
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
