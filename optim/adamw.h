// AdamW: Adam with decoupled weight decay — the parameter shrinks by η λ θ directly instead of
// λ θ being added to the gradient (where Adam's normalization would rescale it).
// Source: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2
// (with the schedule multiplier folded into η, as in PyTorch's AdamW).
//
//   θ'  = θ_{t-1} - η λ θ_{t-1}                   (decoupled weight decay)
//   m_t, v_t, m̂_t, v̂_t as in Adam from the raw gradient g_t
//   θ_t = θ' - η m̂_t / (√v̂_t + ε)
#pragma once

#include <string_view>
#include <vector>

#include "optim/adam.h"

namespace minidl::optim {

/// Options of AdamW; defaults match PyTorch's torch.optim.AdamW (weight_decay 1e-2).
struct AdamWOptions {
  double lr = 1e-3;            ///< η
  double beta1 = 0.9;          ///< β1
  double beta2 = 0.999;        ///< β2
  double eps = 1e-8;           ///< ε
  double weight_decay = 1e-2;  ///< λ, decoupled
  bool amsgrad = false;        ///< use the running maximum of v

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Adam with decoupled weight decay (the step is Adam's, detail::adam_step).
class AdamW : public OptimizerWithState<AdamWOptions, AdamState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  AdamW(std::vector<Tensor> params, AdamWOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  AdamW(std::vector<ParamGroup> groups, AdamWOptions defaults = {});

 protected:
  void update() override;
  void visit_state(AdamState& state, const AdamWOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
