// The checks every schedule goes through, schedule factors and previews (schedule.h).
#include "optim/schedules/schedule.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"

namespace minidl::optim {

double LrSchedule::lr_at(int64_t step) const {
  MINIDL_CHECK(step >= 0, "{}: step must be >= 0, got {}", name_, step);
  const double lr = compute_lr(step);
  MINIDL_CHECK(std::isfinite(lr) && lr >= 0.0,
               "{}: the learning rate at step {} is {}, not a finite number >= 0 (a factor "
               "above 1 grows without bound)",
               name_, step, lr);
  return lr;
}

double LrSchedule::factor_at(int64_t step) const {
  const double base = base_lr();
  MINIDL_CHECK(base > 0.0,
               "{}: its base learning rate is {}, so it cannot scale a parameter group's rate; use "
               "set_lr(schedule.lr_at(step)) instead",
               name_, base);
  return lr_at(step) / base;
}

std::vector<LrPoint> preview(const LrSchedule& schedule, int64_t steps, int64_t every) {
  MINIDL_CHECK(steps >= 0, "preview: steps must be >= 0, got {}", steps);
  MINIDL_CHECK(every >= 1, "preview: every must be >= 1, got {}", every);
  const int64_t rows = steps / every + (steps % every != 0 ? 1 : 0);  // steps 0, every, ... < steps
  MINIDL_CHECK(rows < kMaxPreviewRows,
               "preview: {} steps every {} would list {} rows (at most {}); pass a larger every",
               steps, every, rows, kMaxPreviewRows);
  std::vector<LrPoint> points;
  for (int64_t row = 0; row < rows; ++row) {  // row · every < steps: no overflow
    points.push_back({row * every, schedule.lr_at(row * every)});
  }
  if (steps > 0 && points.back().step != steps - 1) {
    points.push_back({steps - 1, schedule.lr_at(steps - 1)});
  }
  return points;
}

std::string preview_table(const LrSchedule& schedule, int64_t steps, int64_t every) {
  std::string table = fmt::format("{:>8}  {}\n", "step", "lr");
  for (const LrPoint& point : preview(schedule, steps, every)) {
    table += fmt::format("{:>8}  {:.6g}\n", point.step, point.lr);
  }
  return table;
}

}  // namespace minidl::optim
