// SGD: stochastic gradient descent, with momentum in each of its three textbook forms.
//
// Plain (momentum = 0), the same rule for full-batch, mini-batch and single-sample descent (the
// data loader decides what the gradient g_t averages over):
//   g_t = grad + λ θ_{t-1}                        (coupled L2 weight decay λ)
//   θ_t = θ_{t-1} - η g_t
//
// Momentum, one velocity v per element (v_0 = 0), in the form chosen by `momentum_form`:
//   HeavyBall      v_t = μ v_{t-1} + g_t            θ_t = θ_{t-1} - η v_t     (Polyak 1964)
//   MovingAverage  v_t = β v_{t-1} + (1 - β) g_t    θ_t = θ_{t-1} - η v_t     (EMA of gradients)
//   LrInside       v_t = γ v_{t-1} + η g_t          θ_t = θ_{t-1} - v_t       (Sutskever et al. 2013, eq. 1-2)
// All three are v_t = a v_{t-1} + b g_t; θ_t = θ_{t-1} - c v_t, with (a, b, c) = (μ, 1, η),
// (β, 1 - β, η) and (γ, η, 1). They follow the same path while η is constant; they differ when the
// learning rate changes (LrInside keeps the old η inside v) and in the size of v.
//
// Nesterov momentum (Nesterov 1983, in the form of Sutskever et al. 2013): step along the
// look-ahead velocity instead of v_t:
//   θ_t = θ_{t-1} - c (a v_t + b g_t)      e.g. HeavyBall: θ_t = θ_{t-1} - η (g_t + μ v_t)
//
// Difference from PyTorch: PyTorch starts the velocity at v_1 = g_1 even with dampening; here
// v_0 = 0 in every form, exactly as the formulas say (identical for HeavyBall).
#pragma once

#include <string_view>
#include <vector>

#include "optim/optimizer.h"

namespace minidl::optim {

/// Which textbook form of momentum SGD uses (see sgd.h).
enum class MomentumForm {
  HeavyBall,      ///< v = μ v + g;        θ -= η v
  MovingAverage,  ///< v = β v + (1-β) g;  θ -= η v
  LrInside,       ///< v = γ v + η g;      θ -= v
};

/// Options of SGD; defaults match PyTorch's torch.optim.SGD.
struct SGDOptions {
  double lr = 1e-3;                                      ///< η
  double momentum = 0.0;                                 ///< μ, β or γ, in [0, 1); 0 = none
  MomentumForm momentum_form = MomentumForm::HeavyBall;  ///< which formula uses `momentum`
  bool nesterov = false;                                 ///< Nesterov look-ahead (needs momentum)
  double weight_decay = 0.0;                             ///< λ, coupled L2

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Per-parameter state of SGD.
struct SGDState {
  std::vector<float> velocity{};  // v, allocated only when momentum > 0
};

/// Stochastic gradient descent with optional momentum (three forms), Nesterov and weight decay.
class SGD : public OptimizerWithState<SGDOptions, SGDState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  SGD(std::vector<Tensor> params, SGDOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  SGD(std::vector<ParamGroup> groups, SGDOptions defaults = {});

 protected:
  void update() override;
  void visit_state(SGDState& state, const SGDOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
