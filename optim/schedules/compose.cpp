// Warmup and sequential composition of schedules (compose.h).
#include "optim/schedules/compose.h"

#include <algorithm>

#include "core/error.h"
#include "optim/check_options.h"

namespace minidl::optim {

LinearWarmup::LinearWarmup(std::shared_ptr<const LrSchedule> after, LinearWarmupOptions options)
    : LrSchedule("LinearWarmup"), after_(std::move(after)), options_(options) {
  MINIDL_CHECK(after_ != nullptr, "LinearWarmup: the schedule to warm up into is null");
  detail::check_count(name(), "warmup_steps", options_.warmup_steps, 1);
  MINIDL_CHECK(options_.start_factor >= 0.0 && options_.start_factor <= 1.0,
               "LinearWarmup: start_factor must be in [0, 1], got {}", options_.start_factor);
}

double LinearWarmup::compute_lr(int64_t step) const {
  if (step >= options_.warmup_steps) return after_->lr_at(step - options_.warmup_steps);
  const double progress = static_cast<double>(step) / static_cast<double>(options_.warmup_steps);
  const double factor = options_.start_factor + (1.0 - options_.start_factor) * progress;
  return after_->lr_at(0) * factor;
}

SequentialLR::SequentialLR(std::vector<std::shared_ptr<const LrSchedule>> schedules,
                           std::vector<int64_t> milestones)
    : LrSchedule("SequentialLR"),
      schedules_(std::move(schedules)),
      milestones_(std::move(milestones)) {
  MINIDL_CHECK(schedules_.size() == milestones_.size() + 1,
               "SequentialLR: {} schedules need {} milestones, got {}", schedules_.size(),
               schedules_.size() - 1, milestones_.size());
  for (size_t i = 0; i < schedules_.size(); ++i) {
    MINIDL_CHECK(schedules_[i] != nullptr, "SequentialLR: schedule {} is null", i);
  }
  for (size_t i = 0; i < milestones_.size(); ++i) {
    MINIDL_CHECK(milestones_[i] >= 1 && (i == 0 || milestones_[i] > milestones_[i - 1]),
                 "SequentialLR: milestones must be strictly increasing and >= 1, got {}",
                 milestones_);
  }
}

double SequentialLR::compute_lr(int64_t step) const {
  const auto index = static_cast<size_t>(
      std::upper_bound(milestones_.begin(), milestones_.end(), step) - milestones_.begin());
  const int64_t start = index == 0 ? 0 : milestones_[index - 1];
  return schedules_[index]->lr_at(step - start);
}

}  // namespace minidl::optim
