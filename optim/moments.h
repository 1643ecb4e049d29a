// Shared pieces of the Adam family (Adam, AdamW, NAdam, RAdam): the first- and
// second-moment state, its field list, the moment update, and the checks and field list of the
// options they share (lr, beta1, beta2, eps, weight_decay).
//   m_t = β1 m_{t-1} + (1 - β1) g_t          (exp_avg, m_0 = 0)
//   v_t = β2 v_{t-1} + (1 - β2) g_t²         (exp_avg_sq, v_0 = 0)
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "optim/check_options.h"
#include "optim/state_dict.h"

namespace minidl::optim {

/// Per-parameter state shared by the Adam family.
struct MomentState {
  int64_t step = 0;                 // t, counted per parameter (a parameter without grad waits)
  std::vector<float> exp_avg{};     // m
  std::vector<float> exp_avg_sq{};  // v
};

namespace detail {

/// Zeroed moments for a parameter of `numel` elements.
MomentState zero_moments(int64_t numel);
/// Lists step, exp_avg and exp_avg_sq.
void visit_moments(MomentState& state, int64_t numel, StateFields& fields);
/// Checks the lr, beta1, beta2, eps and weight_decay of Adam-family `options`, naming `owner`.
template <class MomentOptions>
void check_moment_options(std::string_view owner, const MomentOptions& options) {
  check_lr(owner, "lr", options.lr);
  check_unit_interval(owner, "beta1", options.beta1);
  check_unit_interval(owner, "beta2", options.beta2);
  check_non_negative(owner, "eps", options.eps);
  check_non_negative(owner, "weight_decay", options.weight_decay);
}
/// Lists the beta1, beta2, eps and weight_decay of Adam-family `options`.
template <class MomentOptions>
void visit_moment_options(MomentOptions& options, StateFields& fields) {
  fields.scalar("beta1", options.beta1);
  fields.scalar("beta2", options.beta2);
  fields.scalar("eps", options.eps);
  fields.scalar("weight_decay", options.weight_decay);
}

/// β1, β2 and 1 - β1, 1 - β2 as floats; the differences are taken in double, because in float
/// 1 - 0.999F is off by 1.3e-5 relative.
struct MomentDecay {
  float beta1;
  float one_minus_beta1;
  float beta2;
  float one_minus_beta2;
};

/// The float constants of one Adam-family step, converted from the double options once.
struct MomentConstants {
  float lr;
  MomentDecay decay;
  float eps;
  float weight_decay;
};

/// Converts the options (and 1 - β1, 1 - β2, taken in double) to the floats the loops use.
MomentConstants moment_constants(double lr, double beta1, double beta2, double eps,
                                 double weight_decay);

/// One parameter's step: its count t advanced, 1 - β^t for that t, and its moment buffers.
struct MomentStep {
  double t;
  double bias_correction1;  // 1 - β1^t
  double bias_correction2;  // 1 - β2^t
  float* m;                 // [numel] exp_avg
  float* v;                 // [numel] exp_avg_sq
};

/// Advances `state.step` and returns the step's bias corrections and buffers.
MomentStep begin_moment_step(MomentState& state, double beta1, double beta2);

/// m = β1 m + (1 - β1) g and v = β2 v + (1 - β2) g² for one element.
inline void update_moments(float g, const MomentDecay& decay, float& m, float& v) {
  m = decay.beta1 * m + decay.one_minus_beta1 * g;
  v = decay.beta2 * v + decay.one_minus_beta2 * g * g;
}

}  // namespace detail
}  // namespace minidl::optim
