// Decay schedules: the learning rate as a closed-form function of the step t (0-based), α being
// the base learning rate `lr`:
//   ConstantLR     α
//   StepLR         α γ^⌊t / step_size⌋
//   MultiStepLR    α γ^(number of milestones <= t)
//   ExponentialLR  α γ^t
//   InverseTimeLR  α (1 + t / T)^(-β)
//   PolynomialLR   (α - η_min) (1 - min(t, T) / T)^p + η_min   (p = 1: linear decay,
//                                                               α + (η_min - α) · min(t, T) / T)
// Polynomial decay holds η_min after T steps. Step, multi-step and exponential decay
// follow PyTorch's StepLR, MultiStepLR and ExponentialLR; inverse-time decay is Bottou,
// "Stochastic Gradient Descent Tricks" (2012), η_t = η_0 (1 + η_0 λ t)^(-1) generalized to a power;
// polynomial decay as in TensorFlow's PolynomialDecay.
#pragma once

#include <cstdint>
#include <vector>

#include "optim/schedules/schedule.h"

namespace minidl::optim {

/// Options of ConstantLR.
struct ConstantLROptions {
  double lr = 1e-3;  ///< α
};

/// α at every step.
class ConstantLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit ConstantLR(ConstantLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  ConstantLROptions options_;
};

/// Options of StepLR.
struct StepLROptions {
  double lr = 1e-3;       ///< α
  int64_t step_size = 0;  ///< steps between decays (required, >= 1)
  double gamma = 0.1;     ///< γ, factor per decay
};

/// α γ^⌊t / step_size⌋.
class StepLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit StepLR(StepLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  StepLROptions options_;
};

/// Options of MultiStepLR.
struct MultiStepLROptions {
  double lr = 1e-3;                   ///< α
  std::vector<int64_t> milestones{};  ///< steps where γ is applied, strictly increasing, >= 0
  double gamma = 0.1;                 ///< γ, factor per milestone
};

/// α γ^(number of milestones <= t).
class MultiStepLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit MultiStepLR(MultiStepLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  MultiStepLROptions options_;
};

/// Options of ExponentialLR.
struct ExponentialLROptions {
  double lr = 1e-3;     ///< α
  double gamma = 0.99;  ///< γ, factor per step
};

/// α γ^t.
class ExponentialLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit ExponentialLR(ExponentialLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  ExponentialLROptions options_;
};

/// Options of InverseTimeLR.
struct InverseTimeLROptions {
  double lr = 1e-3;          ///< α
  double decay_steps = 0.0;  ///< T, the step at which the lr has fallen to α 2^(-β) (> 0)
  double power = 1.0;        ///< β
};

/// α (1 + t / T)^(-β).
class InverseTimeLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit InverseTimeLR(InverseTimeLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  InverseTimeLROptions options_;
};

/// Options of PolynomialLR.
struct PolynomialLROptions {
  double lr = 1e-3;         ///< α
  double min_lr = 0.0;      ///< η_min, reached at T and held after
  int64_t total_steps = 0;  ///< T (required, >= 1)
  double power = 1.0;       ///< p (1: linear decay)
};

/// (α - η_min) (1 - min(t, T) / T)^p + η_min; with power 1 a straight line.
class PolynomialLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit PolynomialLR(PolynomialLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  PolynomialLROptions options_;
};

}  // namespace minidl::optim
