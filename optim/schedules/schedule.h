// LrSchedule: a learning-rate schedule as a pure function of the step, lr_at(step), so it can be
// printed, plotted and tested as a table before training, and shares no lifetime with an
// optimizer. Every schedule is written for a base rate α (base_lr()); applied with
// `opt.set_lr_factor(schedule.factor_at(step))`, it sets each parameter group's rate to the
// group's own initial rate times lr_at(step) / α, so groups keep their ratios (one group built
// with rate α follows lr_at(step) exactly). The one stateful controller, ReduceLROnPlateau, lives
// in plateau.h.
//
// Every schedule goes through the same checks, here and not in each class: lr_at accepts any step
// from 0 to INT64_MAX and refuses a rate that is not a finite number >= 0 (ExponentialLR with
// γ > 1 reaches infinity after enough steps) with an error naming the schedule and the step. The
// formulas are computed in double, never as int64 sums or products of options that could wrap,
// and no schedule loops more than ~64 times per step.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace minidl::optim {

/// A learning rate as a pure function of the step (0-based).
class LrSchedule {
 public:
  virtual ~LrSchedule() = default;
  /// The learning rate for step `step`; throws when the step is negative or the rate is not a
  /// finite number >= 0.
  double lr_at(int64_t step) const;
  /// The rate α the schedule is written for: the lr of its step 0, except for a warmup, whose
  /// α is the rate it ramps up to.
  virtual double base_lr() const = 0;
  /// lr_at(step) / base_lr(): the factor an optimizer applies to every group's initial rate
  /// (Optimizer::set_lr_factor); throws when the base rate is 0.
  double factor_at(int64_t step) const;
  /// The schedule's class name, e.g. "StepLR" (errors start with it).
  const std::string& name() const { return name_; }

 protected:
  /// `name` prefixes every error about this schedule.
  explicit LrSchedule(std::string name) : name_(std::move(name)) {}
  /// The schedule's formula at `step` (>= 0); lr_at checks the result.
  virtual double compute_lr(int64_t step) const = 0;

 private:
  std::string name_;
};

/// One row of a schedule preview.
struct LrPoint {
  int64_t step = 0;
  double lr = 0.0;
};

/// (step, lr_at(step)) for step = 0, every, 2·every, ... below `steps`, plus the last step; at
/// most kMaxPreviewRows rows (throws when `steps` and `every` would give more).
std::vector<LrPoint> preview(const LrSchedule& schedule, int64_t steps, int64_t every = 1);

/// The most rows preview lists.
inline constexpr int64_t kMaxPreviewRows = 1'000'000;

/// The preview as a text table: a "step  lr" header and one aligned row per point.
std::string preview_table(const LrSchedule& schedule, int64_t steps, int64_t every = 1);

}  // namespace minidl::optim
