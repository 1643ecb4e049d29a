// ReduceLROnPlateau (plateau.h).
#include "optim/schedules/plateau.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "optim/check_options.h"

namespace minidl::optim {

ReduceLROnPlateau::ReduceLROnPlateau(double initial_lr, ReduceLROnPlateauOptions options)
    : options_(options),
      initial_lr_(initial_lr),
      lr_(initial_lr),
      best_(options.mode == PlateauMode::Min ? std::numeric_limits<double>::infinity()
                                             : -std::numeric_limits<double>::infinity()) {
  detail::check_lr("ReduceLROnPlateau", "initial_lr", initial_lr);
  MINIDL_CHECK(options_.factor > 0.0 && options_.factor < 1.0,
               "ReduceLROnPlateau: factor must be in (0, 1), got {}", options_.factor);
  detail::check_count("ReduceLROnPlateau", "patience", options_.patience, 0);
  detail::check_non_negative("ReduceLROnPlateau", "threshold", options_.threshold);
  detail::check_count("ReduceLROnPlateau", "cooldown", options_.cooldown, 0);
  detail::check_lr("ReduceLROnPlateau", "min_lr", options_.min_lr);
  detail::check_non_negative("ReduceLROnPlateau", "eps", options_.eps);
}

bool ReduceLROnPlateau::improves(double metric) const {
  const bool relative = options_.threshold_mode == ThresholdMode::Rel;
  if (options_.mode == PlateauMode::Min) {
    return metric < (relative ? best_ * (1.0 - options_.threshold) : best_ - options_.threshold);
  }
  return metric > (relative ? best_ * (1.0 + options_.threshold) : best_ + options_.threshold);
}

double ReduceLROnPlateau::factor() const {
  MINIDL_CHECK(initial_lr_ > 0.0,
               "ReduceLROnPlateau: its initial lr is 0, so it cannot scale a parameter group's "
               "rate; use set_lr(lr()) instead");
  return lr_ / initial_lr_;
}

double ReduceLROnPlateau::update(double metric) {
  MINIDL_CHECK(std::isfinite(metric), "ReduceLROnPlateau: metric must be finite, got {}", metric);
  if (improves(metric)) {
    best_ = metric;
    bad_epochs_ = 0;
  } else {
    ++bad_epochs_;
  }
  if (cooldown_left_ > 0) {
    --cooldown_left_;
    bad_epochs_ = 0;
  }
  if (bad_epochs_ > options_.patience) {
    const double reduced = std::max(lr_ * options_.factor, options_.min_lr);
    if (lr_ - reduced > options_.eps) {
      lr_ = reduced;
      ++reductions_;
    }
    cooldown_left_ = options_.cooldown;
    bad_epochs_ = 0;
  }
  return lr_;
}

}  // namespace minidl::optim
