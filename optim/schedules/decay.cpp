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

ConstantLR::ConstantLR(ConstantLROptions options) : options_(options) {
  detail::check_lr("ConstantLR", "lr", options_.lr);
}

double ConstantLR::lr_at(int64_t step) const {
  detail::check_step("ConstantLR", step);
  return options_.lr;
}

StepLR::StepLR(StepLROptions options) : options_(options) {
  detail::check_lr("StepLR", "lr", options_.lr);
  detail::check_count("StepLR", "step_size", options_.step_size, 1);
  detail::check_positive("StepLR", "gamma", options_.gamma);
}

double StepLR::lr_at(int64_t step) const {
  detail::check_step("StepLR", step);
  return options_.lr * std::pow(options_.gamma, static_cast<double>(step / options_.step_size));
}

MultiStepLR::MultiStepLR(MultiStepLROptions options) : options_(std::move(options)) {
  detail::check_lr("MultiStepLR", "lr", options_.lr);
  detail::check_positive("MultiStepLR", "gamma", options_.gamma);
  for (size_t i = 0; i < options_.milestones.size(); ++i) {
    MINIDL_CHECK(options_.milestones[i] >= 0, "MultiStepLR: milestone {} is negative ({})", i,
                 options_.milestones[i]);
    MINIDL_CHECK(i == 0 || options_.milestones[i] > options_.milestones[i - 1],
                 "MultiStepLR: milestones must be strictly increasing, got {}",
                 options_.milestones);
  }
}

double MultiStepLR::lr_at(int64_t step) const {
  detail::check_step("MultiStepLR", step);
  const auto passed =
      std::upper_bound(options_.milestones.begin(), options_.milestones.end(), step) -
      options_.milestones.begin();
  return options_.lr * std::pow(options_.gamma, static_cast<double>(passed));
}

ExponentialLR::ExponentialLR(ExponentialLROptions options) : options_(options) {
  detail::check_lr("ExponentialLR", "lr", options_.lr);
  detail::check_positive("ExponentialLR", "gamma", options_.gamma);
}

double ExponentialLR::lr_at(int64_t step) const {
  detail::check_step("ExponentialLR", step);
  return options_.lr * std::pow(options_.gamma, static_cast<double>(step));
}

InverseTimeLR::InverseTimeLR(InverseTimeLROptions options) : options_(options) {
  detail::check_lr("InverseTimeLR", "lr", options_.lr);
  detail::check_positive("InverseTimeLR", "decay_steps", options_.decay_steps);
  detail::check_non_negative("InverseTimeLR", "power", options_.power);
}

double InverseTimeLR::lr_at(int64_t step) const {
  detail::check_step("InverseTimeLR", step);
  return options_.lr *
         std::pow(1.0 + static_cast<double>(step) / options_.decay_steps, -options_.power);
}

PolynomialLR::PolynomialLR(PolynomialLROptions options) : options_(options) {
  detail::check_lr("PolynomialLR", "lr", options_.lr);
  detail::check_lr("PolynomialLR", "min_lr", options_.min_lr);
  detail::check_count("PolynomialLR", "total_steps", options_.total_steps, 1);
  detail::check_positive("PolynomialLR", "power", options_.power);
}

double PolynomialLR::lr_at(int64_t step) const {
  detail::check_step("PolynomialLR", step);
  const double remaining = 1.0 - progress(step, options_.total_steps);
  return (options_.lr - options_.min_lr) * std::pow(remaining, options_.power) + options_.min_lr;
}

}  // namespace minidl::optim
