// L-BFGS: a quasi-Newton method that builds the search direction from the last m pairs
// (s_i = θ_{i+1} - θ_i, y_i = g_{i+1} - g_i) instead of storing a Hessian, over all parameters
// flattened into one vector. Each step(closure) runs up to max_iter iterations; the closure
// zero_grads, recomputes the loss, calls backward and returns the loss.
// Sources: Nocedal, "Updating Quasi-Newton Matrices with Limited Storage", Math. Comp. 35 (1980);
// Liu & Nocedal, "On the limited memory BFGS method for large scale optimization", Math. Prog. 45
// (1989); Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithms 7.4 and 7.5. The loop
// structure and stopping rules follow PyTorch's LBFGS (itself a port of minFunc).
//
// One iteration k:
//   k = 1:  d = -g
//   k > 1:  add (s, y) = (t d_prev, g - g_prev) to the history when yᵀs > 1e-10 (dropping the
//           oldest beyond history_size); γ = yᵀs / yᵀy of the newest pair;
//           two-loop recursion, d = -H g with H₀ = γ I:
//             q = -g;  for i = newest..oldest:  ρ_i = 1 / y_iᵀs_i;  α_i = ρ_i s_iᵀq;  q -= α_i y_i
//             r = γ q; for i = oldest..newest:  β = ρ_i y_iᵀr;       r += s_i (α_i - β)
//             d = r
//   step t = lr · min(1, 1 / ‖g‖₁) on the very first iteration, lr afterwards; with
//   line_search = StrongWolfe, t is then chosen by the strong-Wolfe search (line_search.h)
//   θ = θ + t d
// Stops when max|g| <= tolerance_grad, gᵀd > -tolerance_change, max|t d| <= tolerance_change,
// |Δloss| < tolerance_change, or after max_iter iterations / max_eval closure evaluations (a hard
// cap here: the line search only gets the evaluations that are left, where PyTorch lets the last
// search finish).
#pragma once

#include <deque>
#include <string_view>
#include <vector>

#include "optim/optimizer.h"

namespace minidl::optim {

/// How L-BFGS picks the step length along its direction.
enum class LineSearch {
  None,         ///< fixed step t = lr
  StrongWolfe,  ///< search satisfying the strong Wolfe conditions
};

/// Options of L-BFGS; defaults match PyTorch's torch.optim.LBFGS.
struct LBFGSOptions {
  double lr = 1.0;                            ///< step length (initial guess with StrongWolfe)
  int64_t max_iter = 20;                      ///< iterations per step(closure)
  int64_t max_eval = 0;                       ///< closure calls per step; 0 = max_iter * 5 / 4
  double tolerance_grad = 1e-7;               ///< stop when max|g| is at most this
  double tolerance_change = 1e-9;             ///< stop when loss or parameters change less
  int64_t history_size = 100;                 ///< m, the number of (s, y) pairs kept
  LineSearch line_search = LineSearch::None;  ///< step-length rule

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them).
  void visit(StateFields& fields);
};

/// The state of L-BFGS: optimizer-wide, over the flattened parameters.
struct LBFGSState {
  int64_t iterations = 0;                       // iterations so far, across steps
  int64_t evaluations = 0;                      // closure calls so far
  double step_size = 0.0;                       // t of the last iteration
  double previous_loss = 0.0;                   // loss at the start of the last iteration
  double hessian_diag = 1.0;                    // γ
  std::vector<float> direction{};               // d of the last iteration [total numel]
  std::vector<float> previous_grad{};           // g at the start of the last iteration
  std::deque<std::vector<float>> steps{};       // s_i, oldest first
  std::deque<std::vector<float>> grad_diffs{};  // y_i, oldest first
};

/// Limited-memory BFGS with optional strong-Wolfe line search. It re-evaluates the loss within a
/// step, so its only step is step(closure). Its parameters form one group: the search direction
/// and step length are shared by all of them (as in PyTorch, which refuses several groups).
class LBFGS : public Optimizer {
 public:
  /// Validates `options`; the parameters are optimized as one flattened vector.
  LBFGS(std::vector<Tensor> params, LBFGSOptions options = {});
  /// Runs up to max_iter iterations, calling `closure` to re-evaluate; returns the first loss.
  Tensor step(const Closure& closure) override;
  /// The direction, step size, γ and history length (one flat vector: `index` picks the part).
  std::vector<NamedValue> state_values(size_t index, int64_t element) const override;
  /// The options (max_eval resolved); their lr is the live learning rate.
  const LBFGSOptions& options() const { return options_; }
  /// The current state (iterations, evaluations, history...).
  const LBFGSState& state() const { return state_; }

 protected:
  double group_lr(size_t /*group*/) const override { return options_.lr; }
  void set_group_lr(size_t /*group*/, double lr) override { options_.lr = lr; }
  void save_fields(StateDict& dict) const override;
  void load_fields(const StateDict& dict, std::string_view source) override;

 private:
  void visit_state(LBFGSState& state, const LBFGSOptions& options, StateFields& fields) const;
  std::vector<float> flat_grad() const;
  std::vector<float> flat_params() const;
  /// θ = x + t d over the flattened parameters.
  void set_params(const std::vector<float>& x, double t, const std::vector<float>& d);
  std::vector<float> two_loop_direction(const std::vector<float>& grad) const;

  LBFGSOptions options_;
  int64_t total_numel_ = 0;
  LBFGSState state_;
};

}  // namespace minidl::optim
