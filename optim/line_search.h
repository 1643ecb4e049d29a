// Strong-Wolfe line search for L-BFGS: along a descent direction d from x0, find a step t with
//   sufficient decrease  φ(t) <= φ(0) + c1 t φ'(0)
//   curvature            |φ'(t)| <= c2 |φ'(0)|
// where φ(t) = f(x0 + t d) and φ'(t) = ∇f(x0 + t d) · d. First a bracketing phase grows t until
// an interval must contain such a point, then a zoom phase shrinks the interval; every trial step
// is the minimizer of the cubic through the two ends' values and slopes, kept inside safe bounds.
// Source: Nocedal & Wright, "Numerical Optimization", 2nd ed. (2006), Algorithms 3.5 and 3.6 and
// the cubic interpolation formula (3.59).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace minidl::optim {

/// One evaluation on the search line.
struct LinePoint {
  double t = 0.0;             ///< step along d
  double loss = 0.0;          ///< φ(t)
  double slope = 0.0;         ///< φ'(t) = ∇f · d
  std::vector<float> grad{};  ///< ∇f(x0 + t d), flattened over all parameters
};

/// Evaluates the loss and gradient at x0 + t d.
using LineFunction = std::function<LinePoint(double t)>;

/// Constants of the strong-Wolfe search (defaults as in Nocedal & Wright for quasi-Newton).
struct StrongWolfeOptions {
  double c1 = 1e-4;                ///< sufficient-decrease constant
  double c2 = 0.9;                 ///< curvature constant
  double tolerance_change = 1e-9;  ///< stop zooming when the bracket moves x by less than this
  int64_t max_evaluations = 25;    ///< evaluations of φ at most
};

/// The accepted point and the number of φ evaluations spent.
struct LineSearchResult {
  LinePoint point{};
  int64_t evaluations = 0;
};

/// Searches from `start` (t = 0, with φ'(0) < 0) beginning with step `initial_step`;
/// `direction_max_abs` = max |d_i| converts step differences into parameter changes.
LineSearchResult strong_wolfe(const LineFunction& phi, const LinePoint& start, double initial_step,
                              double direction_max_abs, const StrongWolfeOptions& options = {});

/// The minimizer of the cubic matching φ and φ' at `a` and `b`, clamped to [low, high]
/// (the midpoint when the cubic has no minimizer).
double cubic_minimizer(const LinePoint& a, const LinePoint& b, double low, double high);

}  // namespace minidl::optim
