// NAdam: Adam with Nesterov momentum — the step uses the next step's momentum coefficient on m
// and the current one on the raw gradient, with a momentum schedule μ_t that warms up to β1.
// Source: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop, Algorithm 2;
// the schedule μ_t = β1 (1 - ½ 0.96^(t ψ)) and ψ = 0.004 as in that paper and PyTorch's NAdam.
//
//   t   = t + 1;   g_t = grad + λ θ_{t-1}        (coupled L2 weight decay λ)
//   μ_t = β1 (1 - ½ · 0.96^(t ψ)),   μ_{t+1} = β1 (1 - ½ · 0.96^((t+1) ψ))
//   Π_t = Π_{t-1} μ_t                            (mu_product, Π_0 = 1)
//   m_t = β1 m_{t-1} + (1 - β1) g_t;   v_t = β2 v_{t-1} + (1 - β2) g_t²
//   v̂_t = v_t / (1 - β2^t)
//   θ_t = θ_{t-1} - η (1 - μ_t) / (1 - Π_t) · g_t / (√v̂_t + ε)
//                 - η μ_{t+1} / (1 - Π_t μ_{t+1}) · m_t / (√v̂_t + ε)
#pragma once

#include <string_view>
#include <vector>

#include "optim/moments.h"
#include "optim/optimizer.h"

namespace minidl::optim {

/// Options of NAdam; defaults match PyTorch's torch.optim.NAdam.
struct NAdamOptions {
  double lr = 2e-3;              ///< η
  double beta1 = 0.9;            ///< β1
  double beta2 = 0.999;          ///< β2
  double eps = 1e-8;             ///< ε
  double weight_decay = 0.0;     ///< λ, coupled L2
  double momentum_decay = 4e-3;  ///< ψ, speed of the momentum warm-up

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Per-parameter state of NAdam.
struct NAdamState : MomentState {
  double mu_product = 1.0;  // Π_t, product of the momentum coefficients so far
};

/// Adam with Nesterov momentum and Dozat's momentum schedule.
class NAdam : public OptimizerWithState<NAdamOptions, NAdamState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  NAdam(std::vector<Tensor> params, NAdamOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  NAdam(std::vector<ParamGroup> groups, NAdamOptions defaults = {});

 protected:
  void update() override;
  void visit_state(NAdamState& state, const NAdamOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
