// Cosine schedules, α being the base learning rate and η_min the floor:
//   CosineAnnealingLR   η_min + (α - η_min) (1 + cos(π min(t, T) / T)) / 2
//                       (one half-cosine from α at t = 0 to η_min at t = T, held after)
//   CosineWarmRestarts  the same curve restarted every cycle (SGDR): cycle i lasts
//                       T_i = T_0 · T_mult^i steps and t_cur counts steps since its start:
//                       η_min + (α - η_min) (1 + cos(π t_cur / T_i)) / 2
// Source: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
// ICLR 2017, eq. 5.
#pragma once

#include <cstdint>

#include "optim/schedules/schedule.h"

namespace minidl::optim {

/// Options of CosineAnnealingLR.
struct CosineAnnealingLROptions {
  double lr = 1e-3;         ///< α
  int64_t total_steps = 0;  ///< T (required, >= 1)
  double min_lr = 0.0;      ///< η_min, the floor
};

/// Half a cosine from α down to η_min over T steps, then η_min.
class CosineAnnealingLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit CosineAnnealingLR(CosineAnnealingLROptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  CosineAnnealingLROptions options_;
};

/// Options of CosineWarmRestarts.
struct CosineWarmRestartsOptions {
  double lr = 1e-3;               ///< α, the lr at every restart
  int64_t first_cycle_steps = 0;  ///< T_0, length of the first cycle (required, >= 1)
  int64_t cycle_mult = 1;         ///< T_mult, each cycle is this many times longer (>= 1)
  double min_lr = 0.0;            ///< η_min
};

/// SGDR: cosine annealing restarted at the start of each (growing) cycle.
class CosineWarmRestarts final : public LrSchedule {
 public:
  /// Validates the options.
  explicit CosineWarmRestarts(CosineWarmRestartsOptions options);
  double base_lr() const override { return options_.lr; }

 private:
  double compute_lr(int64_t step) const override;
  CosineWarmRestartsOptions options_;
};

}  // namespace minidl::optim
