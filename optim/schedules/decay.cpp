// Closed-form decay schedules (decay.h).
#include "optim/schedules/decay.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "optim/check_options.h"

namespace minidl::optim {

namespace {

// min(t, T) / T: the fraction of a decay of T steps that is done at step t.
double progress(int64_t step, int64_t total_steps) {
  return static_cast<double>(std::min(step, total_steps)) / static_cast<double>(total_steps);
}

}  // namespace

ConstantLR::ConstantLR(ConstantLROptions options) : LrSchedule("ConstantLR"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
}

double ConstantLR::compute_lr(int64_t /*step*/) const { return options_.lr; }

StepLR::StepLR(StepLROptions options) : LrSchedule("StepLR"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_count(name(), "step_size", options_.step_size, 1);
  detail::check_positive(name(), "gamma", options_.gamma);
}

double StepLR::compute_lr(int64_t step) const {
  return options_.lr * std::pow(options_.gamma, static_cast<double>(step / options_.step_size));
}

MultiStepLR::MultiStepLR(MultiStepLROptions options)
    : LrSchedule("MultiStepLR"), options_(std::move(options)) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_positive(name(), "gamma", options_.gamma);
  for (size_t i = 0; i < options_.milestones.size(); ++i) {
    MINIDL_CHECK(options_.milestones[i] >= 0, "MultiStepLR: milestone {} is negative ({})", i,
                 options_.milestones[i]);
    MINIDL_CHECK(i == 0 || options_.milestones[i] > options_.milestones[i - 1],
                 "MultiStepLR: milestones must be strictly increasing, got {}",
                 options_.milestones);
  }
}

double MultiStepLR::compute_lr(int64_t step) const {
  const auto passed =
      std::upper_bound(options_.milestones.begin(), options_.milestones.end(), step) -
      options_.milestones.begin();
  return options_.lr * std::pow(options_.gamma, static_cast<double>(passed));
}

ExponentialLR::ExponentialLR(ExponentialLROptions options)
    : LrSchedule("ExponentialLR"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_positive(name(), "gamma", options_.gamma);
}

double ExponentialLR::compute_lr(int64_t step) const {
  return options_.lr * std::pow(options_.gamma, static_cast<double>(step));
}

InverseTimeLR::InverseTimeLR(InverseTimeLROptions options)
    : LrSchedule("InverseTimeLR"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_positive(name(), "decay_steps", options_.decay_steps);
  detail::check_non_negative(name(), "power", options_.power);
}

double InverseTimeLR::compute_lr(int64_t step) const {
  return options_.lr *
         std::pow(1.0 + static_cast<double>(step) / options_.decay_steps, -options_.power);
}

PolynomialLR::PolynomialLR(PolynomialLROptions options)
    : LrSchedule("PolynomialLR"), options_(options) {
  detail::check_lr(name(), "lr", options_.lr);
  detail::check_lr(name(), "min_lr", options_.min_lr);
  detail::check_count(name(), "total_steps", options_.total_steps, 1);
  detail::check_positive(name(), "power", options_.power);
}

double PolynomialLR::compute_lr(int64_t step) const {
  const double remaining = 1.0 - progress(step, options_.total_steps);
  return (options_.lr - options_.min_lr) * std::pow(remaining, options_.power) + options_.min_lr;
}

}  // namespace minidl::optim
