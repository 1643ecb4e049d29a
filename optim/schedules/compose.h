// Schedules built from other schedules (held by shared_ptr, so one schedule can appear in many):
//   LinearWarmup   ramps linearly from start_factor · α to α = after.lr_at(0) over W steps, then
//                  follows `after` from its step 0:
//                    t < W:  α (s + (1 - s) t / W)        t >= W:  after.lr_at(t - W)
//                  (Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
//                  2017, §2.2 gradual warmup)
//   SequentialLR   schedule i runs from milestone i-1 (0 for the first) to milestone i, each
//                  restarted at its own step 0: lr = schedules[i].lr_at(t - milestone_{i-1})
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "optim/schedules/schedule.h"

namespace minidl::optim {

/// Options of LinearWarmup.
struct LinearWarmupOptions {
  int64_t warmup_steps = 0;   ///< W (required, >= 1)
  double start_factor = 0.0;  ///< s, the lr at step 0 is s · α (in [0, 1])
};

/// A linear warmup in front of any schedule.
class LinearWarmup final : public LrSchedule {
 public:
  /// Wraps `after` (non-null); validates the options.
  LinearWarmup(std::shared_ptr<const LrSchedule> after, LinearWarmupOptions options);
  double base_lr() const override { return after_->base_lr(); }

 private:
  double compute_lr(int64_t step) const override;
  std::shared_ptr<const LrSchedule> after_;
  LinearWarmupOptions options_;
};

/// Several schedules one after the other, switching at the milestones.
class SequentialLR final : public LrSchedule {
 public:
  /// `schedules.size()` must be `milestones.size() + 1`; milestones strictly increasing, >= 1.
  SequentialLR(std::vector<std::shared_ptr<const LrSchedule>> schedules,
               std::vector<int64_t> milestones);
  double base_lr() const override { return schedules_.front()->base_lr(); }

 private:
  double compute_lr(int64_t step) const override;
  std::vector<std::shared_ptr<const LrSchedule>> schedules_;
  std::vector<int64_t> milestones_;
};

}  // namespace minidl::optim
