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
};

/// Per-parameter state of Adagrad.
struct AdagradState {
  int64_t step = 0;          // t
  std::vector<float> sum{};  // G, the running sum of squared gradients
};

/// Adagrad with lr decay, initial accumulator and coupled weight decay.
class Adagrad : public OptimizerWithState<AdagradState> {
 public:
  /// Validates `options` and builds one state per parameter.
  Adagrad(std::vector<Tensor> params, AdagradOptions options = {});
  /// The options as given (the live learning rate is lr()).
  const AdagradOptions& options() const { return options_; }

 protected:
  void update() override;
  void visit_state(AdagradState& state, int64_t numel, StateFields& fields) const override;

 private:
  AdagradOptions options_;
};

}  // namespace minidl::optim
