// Shared pieces of the Adam family (moments.h).
#include "optim/moments.h"

#include <cmath>

namespace minidl::optim::detail {

MomentState zero_moments(int64_t numel) {
  const auto size = static_cast<size_t>(numel);
  return MomentState{.exp_avg = std::vector<float>(size, 0.0F),
                     .exp_avg_sq = std::vector<float>(size, 0.0F)};
}

void visit_moments(MomentState& state, int64_t numel, StateFields& fields) {
  fields.counter("step", state.step);
  fields.buffer("exp_avg", state.exp_avg, numel);
  fields.buffer("exp_avg_sq", state.exp_avg_sq, numel);
}

MomentConstants moment_constants(double lr, double beta1, double beta2, double eps,
                                 double weight_decay) {
  return {.lr = static_cast<float>(lr),
          .decay = {static_cast<float>(beta1), static_cast<float>(1.0 - beta1),
                    static_cast<float>(beta2), static_cast<float>(1.0 - beta2)},
          .eps = static_cast<float>(eps),
          .weight_decay = static_cast<float>(weight_decay)};
}

MomentStep begin_moment_step(MomentState& state, double beta1, double beta2) {
  const auto t = static_cast<double>(++state.step);
  return {.t = t,
          .bias_correction1 = 1.0 - std::pow(beta1, t),
          .bias_correction2 = 1.0 - std::pow(beta2, t),
          .m = state.exp_avg.data(),
          .v = state.exp_avg_sq.data()};
}

}  // namespace minidl::optim::detail
