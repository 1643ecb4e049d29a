// RAdam: Adam whose adaptive step is switched on only once the variance of the adaptive learning
// rate is tractable, and then rectified by a factor r_t; before that it is momentum SGD.
// Source: Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020,
// Algorithm 2; the threshold ρ_t > 5 and ε placement as in PyTorch's RAdam.
//
//   t   = t + 1;   g_t = grad + λ θ_{t-1}        (coupled L2 weight decay λ)
//   m_t = β1 m_{t-1} + (1 - β1) g_t;   v_t = β2 v_{t-1} + (1 - β2) g_t²
//   m̂_t = m_t / (1 - β1^t)
//   ρ_∞ = 2 / (1 - β2) - 1;   ρ_t = ρ_∞ - 2 t β2^t / (1 - β2^t)
//   if ρ_t > 5:  r_t = √( (ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t) )
//                l_t = √(1 - β2^t) / (√v_t + ε)
//                θ_t = θ_{t-1} - η m̂_t r_t l_t
//   else:        θ_t = θ_{t-1} - η m̂_t
#pragma once

#include <string_view>
#include <vector>

#include "optim/moments.h"
#include "optim/optimizer.h"

namespace minidl::optim {

/// Options of RAdam; defaults match PyTorch's torch.optim.RAdam.
struct RAdamOptions {
  double lr = 1e-3;           ///< η
  double beta1 = 0.9;         ///< β1
  double beta2 = 0.999;       ///< β2
  double eps = 1e-8;          ///< ε
  double weight_decay = 0.0;  ///< λ, coupled L2

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Rectified Adam.
class RAdam : public OptimizerWithState<RAdamOptions, MomentState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  RAdam(std::vector<Tensor> params, RAdamOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  RAdam(std::vector<ParamGroup> groups, RAdamOptions defaults = {});

 protected:
  void update() override;
  void visit_state(MomentState& state, const RAdamOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
