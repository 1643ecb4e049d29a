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

CosineAnnealingLR::CosineAnnealingLR(CosineAnnealingLROptions options) : options_(options) {
  detail::check_lr("CosineAnnealingLR", "lr", options_.lr);
  detail::check_lr("CosineAnnealingLR", "min_lr", options_.min_lr);
  detail::check_count("CosineAnnealingLR", "total_steps", options_.total_steps, 1);
}

double CosineAnnealingLR::lr_at(int64_t step) const {
  detail::check_step("CosineAnnealingLR", step);
  return cosine_between(options_.lr, options_.min_lr,
                        static_cast<double>(std::min(step, options_.total_steps)),
                        static_cast<double>(options_.total_steps));
}

CosineWarmRestarts::CosineWarmRestarts(CosineWarmRestartsOptions options) : options_(options) {
  detail::check_lr("CosineWarmRestarts", "lr", options_.lr);
  detail::check_lr("CosineWarmRestarts", "min_lr", options_.min_lr);
  detail::check_count("CosineWarmRestarts", "first_cycle_steps", options_.first_cycle_steps, 1);
  detail::check_count("CosineWarmRestarts", "cycle_mult", options_.cycle_mult, 1);
}

double CosineWarmRestarts::lr_at(int64_t step) const {
  detail::check_step("CosineWarmRestarts", step);
  int64_t cycle_length = options_.first_cycle_steps;  // T_i
  int64_t step_in_cycle = step;                       // t_cur
  if (options_.cycle_mult == 1) {
    step_in_cycle = step % cycle_length;
  } else {
    while (step_in_cycle >= cycle_length) {  // at most ~log(step) cycles
      step_in_cycle -= cycle_length;
      cycle_length *= options_.cycle_mult;
    }
  }
  return cosine_between(options_.lr, options_.min_lr, static_cast<double>(step_in_cycle),
                        static_cast<double>(cycle_length));
}

}  // namespace minidl::optim
