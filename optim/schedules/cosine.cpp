// Cosine annealing and SGDR warm restarts (cosine.h).
#include "optim/schedules/cosine.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "optim/check_options.h"

namespace minidl::optim {

namespace {

// η_min + (α - η_min) (1 + cos(π done / length)) / 2.
double cosine_between(double lr, double min_lr, double done, double length) {
  return min_lr + (lr - min_lr) * (1.0 + std::cos(std::numbers::pi * done / length)) / 2.0;
}

}  // namespace

CosineAnnealingLR::CosineAnnealingLR(CosineAnnealingLROptions options)
    : LrSchedule("CosineAnnealingLR"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_lr(name(), "min_lr", options_.min_lr);
  detail::check_count(name(), "total_steps", options_.total_steps, 1);
}

double CosineAnnealingLR::compute_lr(int64_t step) const {
  return cosine_between(options_.lr, options_.min_lr,
                        static_cast<double>(std::min(step, options_.total_steps)),
                        static_cast<double>(options_.total_steps));
}

CosineWarmRestarts::CosineWarmRestarts(CosineWarmRestartsOptions options)
    : LrSchedule("CosineWarmRestarts"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_lr(name(), "min_lr", options_.min_lr);
  detail::check_count(name(), "first_cycle_steps", options_.first_cycle_steps, 1);
  detail::check_count(name(), "cycle_mult", options_.cycle_mult, 1);
}

double CosineWarmRestarts::compute_lr(int64_t step) const {
  if (options_.cycle_mult == 1) {
    return cosine_between(options_.lr, options_.min_lr,
                          static_cast<double>(step % options_.first_cycle_steps),
                          static_cast<double>(options_.first_cycle_steps));
  }
  // In double, T_0 · T_mult^i cannot wrap however large it grows (it may well pass INT64_MAX),
  // and it at least doubles each cycle, so the loop runs at most 64 times.
  auto cycle_length = static_cast<double>(options_.first_cycle_steps);  // T_i
  auto step_in_cycle = static_cast<double>(step);                       // t_cur
  while (step_in_cycle >= cycle_length) {
    step_in_cycle -= cycle_length;
    cycle_length *= static_cast<double>(options_.cycle_mult);
  }
  return cosine_between(options_.lr, options_.min_lr, step_in_cycle, cycle_length);
}

}  // namespace minidl::optim
