// Adagrad: per-element learning rates that shrink with the sum of all past squared gradients.
// Source: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
// Stochastic Optimization", JMLR 12 (2011); learning-rate decay as in PyTorch's Adagrad.
//
//   t     = t + 1                                  (per-parameter step count)
//   g_t   = grad + λ θ_{t-1}                       (coupled L2 weight decay λ)
//   η_t   = η / (1 + (t - 1) δ)                    (lr decay δ)
//   G_t   = G_{t-1} + g_t²                         (G_0 = initial_accumulator_value)
//   θ_t   = θ_{t-1} - η_t g_t / (√G_t + ε)
#pragma once

#include <string_view>
#include <vector>

#include "optim/optimizer.h"

namespace minidl::optim {

/// Options of Adagrad; defaults match PyTorch's torch.optim.Adagrad.
struct AdagradOptions {
  double lr = 1e-2;                        ///< η
  double lr_decay = 0.0;                   ///< δ
  double weight_decay = 0.0;               ///< λ, coupled L2
  double initial_accumulator_value = 0.0;  ///< G_0
  double eps = 1e-10;                      ///< ε

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Per-parameter state of Adagrad.
struct AdagradState {
  int64_t step = 0;          // t
  std::vector<float> sum{};  // G, the running sum of squared gradients
};

/// Adagrad with lr decay, initial accumulator and coupled weight decay.
class Adagrad : public OptimizerWithState<AdagradOptions, AdagradState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  Adagrad(std::vector<Tensor> params, AdagradOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  Adagrad(std::vector<ParamGroup> groups, AdagradOptions defaults = {});

 protected:
  void update() override;
  void visit_state(AdagradState& state, const AdagradOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
