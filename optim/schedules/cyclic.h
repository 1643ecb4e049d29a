// Cyclical schedules that go up and down within each cycle.
//
// CyclicLR (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017): a cycle of
// S_up steps rising from base_lr to max_lr then S_down steps falling back. With S = S_up + S_down,
//   cycle = ⌊1 + t / S⌋,   x = 1 + t / S - cycle   (position in the cycle, in [0, 1))
//   scale = x / r if x <= r, else (x - 1) / (r - 1),   where r = S_up / S
//   lr = base_lr + (max_lr - base_lr) · scale · f
// with f = 1 (Triangular), 1 / 2^(cycle-1) (Triangular2: halves every cycle), or γ^t (ExpRange).
//
// OneCycleLR (Smith & Topin, "Super-Convergence", 2018, as in PyTorch's OneCycleLR): with
// α_0 = max_lr / div_factor and α_min = α_0 / final_div_factor, anneal α_0 → max_lr over the
// first pct_start · T - 1 steps, then max_lr → α_min until step T - 1 (three_phase: α_0 → max_lr,
// max_lr → α_0, α_0 → α_min). Each piece is annealed by cosine,
//   a + (b - a) (1 - cos(π p)) / 2,   or linearly, a + (b - a) p,   p = progress in the piece.
// Steps past T - 1 hold α_min.
#pragma once

#include <cstdint>
#include <vector>

#include "optim/schedules/schedule.h"

namespace minidl::optim {

/// The amplitude rule of CyclicLR.
enum class CyclicMode {
  Triangular,   ///< constant amplitude
  Triangular2,  ///< amplitude halves every cycle
  ExpRange,     ///< amplitude scaled by γ^t
};

/// Options of CyclicLR; defaults match PyTorch's CyclicLR.
struct CyclicLROptions {
  double base_lr = 1e-3;                     ///< lower bound
  double max_lr = 6e-3;                      ///< upper bound (reached at the cycle's peak)
  int64_t step_size_up = 2000;               ///< S_up
  int64_t step_size_down = 0;                ///< S_down; 0 = same as S_up
  CyclicMode mode = CyclicMode::Triangular;  ///< amplitude rule
  double gamma = 1.0;                        ///< γ for ExpRange
};

/// Triangular cycles between base_lr and max_lr.
class CyclicLR final : public LrSchedule {
 public:
  /// Validates the options.
  explicit CyclicLR(CyclicLROptions options);
  double base_lr() const override { return options_.base_lr; }

 private:
  double compute_lr(int64_t step) const override;
  CyclicLROptions options_;
};

/// How OneCycleLR moves between two learning rates.
enum class AnnealStrategy {
  Cos,     ///< half cosine
  Linear,  ///< straight line
};

/// Options of OneCycleLR; defaults match PyTorch's OneCycleLR.
struct OneCycleLROptions {
  double max_lr = 1e-2;                         ///< peak learning rate
  int64_t total_steps = 0;                      ///< T (required)
  double pct_start = 0.3;                       ///< fraction of T spent rising
  double div_factor = 25.0;                     ///< α_0 = max_lr / div_factor
  double final_div_factor = 1e4;                ///< α_min = α_0 / final_div_factor
  AnnealStrategy anneal = AnnealStrategy::Cos;  ///< shape of each piece
  bool three_phase = false;                     ///< come back down to α_0 before the final decay
};

/// The one-cycle policy: warm up to max_lr, then anneal far below the start.
class OneCycleLR final : public LrSchedule {
 public:
  /// Validates the options (every phase must last at least one step).
  explicit OneCycleLR(OneCycleLROptions options);
  double base_lr() const override { return options_.max_lr / options_.div_factor; }

 private:
  double compute_lr(int64_t step) const override;
  struct Phase {
    double end_step;
    double start_lr;
    double end_lr;
  };
  OneCycleLROptions options_;
  std::vector<Phase> phases_;
};

}  // namespace minidl::optim
