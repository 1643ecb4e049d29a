// Schedule factors, previews and the shared step check (schedule.h).
#include "optim/schedules/schedule.h"

#include <fmt/format.h>

#include "core/error.h"

namespace minidl::optim {

double LrSchedule::factor_at(int64_t step) const {
  const double base = base_lr();
  MINIDL_CHECK(base > 0.0,
               "schedule: its base learning rate is {}, so it cannot scale a parameter group's "
               "rate; use set_lr(schedule.lr_at(step)) instead",
               base);
  return lr_at(step) / base;
}

std::vector<LrPoint> preview(const LrSchedule& schedule, int64_t steps, int64_t every) {
  MINIDL_CHECK(steps >= 0, "preview: steps must be >= 0, got {}", steps);
  MINIDL_CHECK(every >= 1, "preview: every must be >= 1, got {}", every);
  std::vector<LrPoint> points;
  for (int64_t step = 0; step < steps; step += every)
    points.push_back({step, schedule.lr_at(step)});
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

namespace detail {

void check_step(const char* schedule, int64_t step) {
  MINIDL_CHECK(step >= 0, "{}: step must be >= 0, got {}", schedule, step);
}

}  // namespace detail

}  // namespace minidl::optim
