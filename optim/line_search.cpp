// Strong-Wolfe line search with cubic interpolation (line_search.h).
#include "optim/line_search.h"

#include <algorithm>
#include <cmath>

namespace minidl::optim {

double cubic_minimizer(const LinePoint& a, const LinePoint& b, double low, double high) {
  // Nocedal & Wright (3.59) with α_{i-1} = a.t and α_i = b.t.
  const double d1 = a.slope + b.slope - 3.0 * (a.loss - b.loss) / (a.t - b.t);
  const double discriminant = d1 * d1 - a.slope * b.slope;
  if (a.t != b.t && discriminant >= 0.0) {
    const double d2 = std::copysign(std::sqrt(discriminant), b.t - a.t);
    const double t = b.t - (b.t - a.t) * (b.slope + d2 - d1) / (b.slope - a.slope + 2.0 * d2);
    if (std::isfinite(t)) return std::clamp(t, low, high);
  }
  return 0.5 * (low + high);
}

LineSearchResult strong_wolfe(const LineFunction& phi, const LinePoint& start, double initial_step,
                              double direction_max_abs, const StrongWolfeOptions& options) {
  const auto sufficient_decrease = [&](const LinePoint& point) {
    return point.loss <= start.loss + options.c1 * point.t * start.slope;
  };
  const auto small_slope = [&](const LinePoint& point) {
    return std::abs(point.slope) <= -options.c2 * start.slope;
  };

  // Bracketing (Algorithm 3.5): grow t until [lo, hi] must contain an acceptable step.
  LinePoint previous = start;
  LinePoint current = phi(initial_step);
  int64_t evaluations = 1;
  LinePoint lo;  // satisfies sufficient decrease, lowest loss seen
  LinePoint hi;
  while (true) {
    if (!sufficient_decrease(current) || (evaluations > 1 && current.loss >= previous.loss)) {
      lo = previous;
      hi = current;
      break;
    }
    if (small_slope(current)) return {current, evaluations};
    if (current.slope >= 0.0) {
      lo = current;
      hi = previous;
      break;
    }
    if (evaluations >= options.max_evaluations) return {current, evaluations};
    const double low = current.t + 0.01 * (current.t - previous.t);
    const double high = current.t * 10.0;
    const double next = cubic_minimizer(previous, current, low, high);
    previous = std::move(current);
    current = phi(next);
    ++evaluations;
  }

  // Zoom (Algorithm 3.6): shrink [lo, hi] keeping lo the best point with sufficient decrease.
  while (evaluations < options.max_evaluations) {
    const double low = std::min(lo.t, hi.t);
    const double high = std::max(lo.t, hi.t);
    if ((high - low) * direction_max_abs < options.tolerance_change) break;
    const double margin = 0.1 * (high - low);  // every trial cuts the bracket by >= 10%
    const double next = cubic_minimizer(lo, hi, low + margin, high - margin);
    LinePoint trial = phi(next);
    ++evaluations;
    if (!sufficient_decrease(trial) || trial.loss >= lo.loss) {
      hi = std::move(trial);
      continue;
    }
    if (small_slope(trial)) return {trial, evaluations};
    if (trial.slope * (hi.t - lo.t) >= 0.0) hi = lo;
    lo = std::move(trial);
  }
  return {lo, evaluations};
}

}  // namespace minidl::optim
