// Cyclical and one-cycle schedules (cyclic.h).
#include "optim/schedules/cyclic.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.h"
#include "optim/check_options.h"

namespace minidl::optim {

CyclicLR::CyclicLR(CyclicLROptions options) : LrSchedule("CyclicLR"), options_(options) {
  if (options_.step_size_down == 0) options_.step_size_down = options_.step_size_up;
  detail::check_lr(name(), "base_lr", options_.base_lr);
  detail::check_lr(name(), "max_lr", options_.max_lr);
  detail::check_count(name(), "step_size_up", options_.step_size_up, 1);
  detail::check_count(name(), "step_size_down", options_.step_size_down, 1);
  detail::check_positive(name(), "gamma", options_.gamma);
}

double CyclicLR::compute_lr(int64_t step) const {
  // S in double: step_size_up + step_size_down may not fit in int64.
  const double cycle_steps =
      static_cast<double>(options_.step_size_up) + static_cast<double>(options_.step_size_down);
  const double rising_fraction = static_cast<double>(options_.step_size_up) / cycle_steps;
  const double t = static_cast<double>(step);
  const double cycle = std::floor(1.0 + t / cycle_steps);
  const double x = 1.0 + t / cycle_steps - cycle;
  const double scale =
      x <= rising_fraction ? x / rising_fraction : (x - 1.0) / (rising_fraction - 1.0);
  double amplitude = 1.0;
  if (options_.mode == CyclicMode::Triangular2) amplitude = 1.0 / std::pow(2.0, cycle - 1.0);
  if (options_.mode == CyclicMode::ExpRange) amplitude = std::pow(options_.gamma, t);
  return options_.base_lr + (options_.max_lr - options_.base_lr) * scale * amplitude;
}

OneCycleLR::OneCycleLR(OneCycleLROptions options) : LrSchedule("OneCycleLR"), options_(options) {
  detail::check_lr(name(), "max_lr", options_.max_lr);
  detail::check_count(name(), "total_steps", options_.total_steps, 2);
  MINIDL_CHECK(options_.pct_start > 0.0 && options_.pct_start < 1.0,
               "OneCycleLR: pct_start must be in (0, 1), got {}", options_.pct_start);
  detail::check_positive(name(), "div_factor", options_.div_factor);
  detail::check_positive(name(), "final_div_factor", options_.final_div_factor);
  const double initial_lr = options_.max_lr / options_.div_factor;
  const double min_lr = initial_lr / options_.final_div_factor;
  detail::check_lr(name(), "max_lr / div_factor", initial_lr);  // a tiny factor overflows
  detail::check_lr(name(), "max_lr / div_factor / final_div_factor", min_lr);
  const double total = static_cast<double>(options_.total_steps);
  const double rise_end = options_.pct_start * total - 1.0;
  if (options_.three_phase) {
    phases_ = {{rise_end, initial_lr, options_.max_lr},
               {2.0 * options_.pct_start * total - 2.0, options_.max_lr, initial_lr},
               {total - 1.0, initial_lr, min_lr}};
  } else {
    phases_ = {{rise_end, initial_lr, options_.max_lr}, {total - 1.0, options_.max_lr, min_lr}};
  }
  double start = 0.0;
  for (size_t i = 0; i < phases_.size(); ++i) {
    MINIDL_CHECK(phases_[i].end_step > start,
                 "OneCycleLR: phase {} would last {} steps; raise total_steps ({}) or change "
                 "pct_start ({})",
                 i + 1, phases_[i].end_step - start, options_.total_steps, options_.pct_start);
    start = phases_[i].end_step;
  }
}

double OneCycleLR::compute_lr(int64_t step) const {
  const double t = std::min(static_cast<double>(step), phases_.back().end_step);
  double start = 0.0;
  for (const Phase& phase : phases_) {
    if (t <= phase.end_step) {
      const double p = (t - start) / (phase.end_step - start);
      const double shape =
          options_.anneal == AnnealStrategy::Cos ? (1.0 - std::cos(std::numbers::pi * p)) / 2.0 : p;
      return phase.start_lr + (phase.end_lr - phase.start_lr) * shape;
    }
    start = phase.end_step;
  }
  return phases_.back().end_lr;  // not reached: t <= the last phase's end
}

}  // namespace minidl::optim
