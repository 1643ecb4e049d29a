// Adadelta: a learning rate that adapts from running averages of squared gradients and of
// squared updates, so the update has the units of the parameter.
// Source: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701 (2012),
// Algorithm 1; the extra lr factor η as in PyTorch's Adadelta.
//
//   g_t  = grad + λ θ_{t-1}                                (coupled L2 weight decay λ)
//   E[g²]_t  = ρ E[g²]_{t-1} + (1 - ρ) g_t²                (square_avg, starts at 0)
//   Δ_t      = √(E[Δ²]_{t-1} + ε) / √(E[g²]_t + ε) · g_t
//   E[Δ²]_t  = ρ E[Δ²]_{t-1} + (1 - ρ) Δ_t²                (acc_delta, starts at 0)
//   θ_t      = θ_{t-1} - η Δ_t
#pragma once

#include <string_view>
#include <vector>

#include "optim/optimizer.h"

namespace minidl::optim {

/// Options of Adadelta; defaults match PyTorch's torch.optim.Adadelta.
struct AdadeltaOptions {
  double lr = 1.0;            ///< η, scales the update (Zeiler's algorithm has η = 1)
  double rho = 0.9;           ///< ρ, decay of both running averages
  double eps = 1e-6;          ///< ε
  double weight_decay = 0.0;  ///< λ, coupled L2

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Per-parameter state of Adadelta.
struct AdadeltaState {
  std::vector<float> square_avg{};  // E[g²]
  std::vector<float> acc_delta{};   // E[Δ²]
};

/// Adadelta with an lr factor and coupled weight decay.
class Adadelta : public OptimizerWithState<AdadeltaOptions, AdadeltaState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  Adadelta(std::vector<Tensor> params, AdadeltaOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  Adadelta(std::vector<ParamGroup> groups, AdadeltaOptions defaults = {});

 protected:
  void update() override;
  void visit_state(AdadeltaState& state, const AdadeltaOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
