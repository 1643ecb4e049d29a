// RMSprop: divide the gradient by a running root-mean-square of recent gradients.
// Source: Tieleman & Hinton, Coursera "Neural Networks for Machine Learning", lecture 6e (2012);
// the centered variant and momentum as in Graves, "Generating Sequences With Recurrent Neural
// Networks" (2013), eq. 38-45, and PyTorch's RMSprop.
//
//   g_t = grad + λ θ_{t-1}                       (coupled L2 weight decay λ)
//   s_t = α s_{t-1} + (1 - α) g_t²               (square_avg, s_0 = 0)
//   centered:  a_t = α a_{t-1} + (1 - α) g_t     (grad_avg, a_0 = 0)
//              d_t = √(s_t - a_t²) + ε
//   otherwise: d_t = √s_t + ε
//   momentum μ > 0:  b_t = μ b_{t-1} + g_t / d_t;   θ_t = θ_{t-1} - η b_t
//   otherwise:       θ_t = θ_{t-1} - η g_t / d_t
#pragma once

#include <string_view>
#include <vector>

#include "optim/optimizer.h"

namespace minidl::optim {

/// Options of RMSprop; defaults match PyTorch's torch.optim.RMSprop.
struct RMSpropOptions {
  double lr = 1e-2;           ///< η
  double alpha = 0.99;        ///< α, smoothing of the squared-gradient average
  double eps = 1e-8;          ///< ε
  double weight_decay = 0.0;  ///< λ, coupled L2
  double momentum = 0.0;      ///< μ
  bool centered = false;      ///< divide by an estimate of the variance instead of the 2nd moment

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Per-parameter state of RMSprop.
struct RMSpropState {
  std::vector<float> square_avg{};  // s
  std::vector<float> grad_avg{};    // a, only when centered
  std::vector<float> momentum{};    // b, only when momentum > 0
};

/// RMSprop with optional momentum, centering and coupled weight decay.
class RMSprop : public OptimizerWithState<RMSpropOptions, RMSpropState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  RMSprop(std::vector<Tensor> params, RMSpropOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  RMSprop(std::vector<ParamGroup> groups, RMSpropOptions defaults = {});

 protected:
  void update() override;
  void visit_state(RMSpropState& state, const RMSpropOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

}  // namespace minidl::optim
