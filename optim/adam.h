// Adam: gradient descent on bias-corrected running averages of the gradient and its square.
// Source: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1.
// The amsgrad option is AMSGrad: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond",
// ICLR 2018, Algorithm 2, with Adam's bias correction kept as in PyTorch's amsgrad=True; the
// second-moment estimate never decreases, which repairs Adam's convergence proof. AdamW (adamw.h)
// shares this step (detail::adam_step below) with decoupled weight decay.
//
//   t   = t + 1                                   (per-parameter step count)
//   g_t = grad + λ θ_{t-1}                        (coupled L2 weight decay λ)
//   m_t = β1 m_{t-1} + (1 - β1) g_t
//   v_t = β2 v_{t-1} + (1 - β2) g_t²
//   amsgrad: v_t^max = max(v_{t-1}^max, v_t), used in place of v_t below
//   m̂_t = m_t / (1 - β1^t)                        (bias correction)
//   v̂_t = v_t / (1 - β2^t)
//   θ_t = θ_{t-1} - η m̂_t / (√v̂_t + ε)
#pragma once

#include <string_view>
#include <vector>

#include "optim/moments.h"
#include "optim/optimizer.h"

namespace minidl::optim {

/// Options of Adam; defaults match PyTorch's torch.optim.Adam.
struct AdamOptions {
  double lr = 1e-3;           ///< η
  double beta1 = 0.9;         ///< β1, decay of the first moment
  double beta2 = 0.999;       ///< β2, decay of the second moment
  double eps = 1e-8;          ///< ε
  double weight_decay = 0.0;  ///< λ, coupled L2 (AdamW decouples it)
  bool amsgrad = false;       ///< use the running maximum of v (AMSGrad)

  /// Throws minidl::Error naming `owner` and the option when a value is out of range.
  void check(std::string_view owner) const;
  /// Lists every option but lr by name (state files store them per parameter group).
  void visit(StateFields& fields);
};

/// Per-parameter state of Adam and AdamW.
struct AdamState : MomentState {
  std::vector<float> max_exp_avg_sq{};  // v^max, only with amsgrad
};

/// Adam with bias correction, optional AMSGrad and coupled weight decay.
class Adam : public OptimizerWithState<AdamOptions, AdamState> {
 public:
  /// One group of parameters with `options`; validates them and builds one state per parameter.
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  /// Parameter groups, each with its own options or `defaults`; validates all of them.
  Adam(std::vector<ParamGroup> groups, AdamOptions defaults = {});

 protected:
  void update() override;
  void visit_state(AdamState& state, const AdamOptions& options, int64_t numel,
                   StateFields& fields) const override;
};

namespace detail {

/// How weight decay enters an Adam step.
enum class WeightDecay {
  Coupled,    ///< g += λ θ (L2 regularization, Adam)
  Decoupled,  ///< θ -= η λ θ before the Adam step (AdamW)
};

/// Zero moments, and a zero running maximum with amsgrad (for AdamOptions and AdamWOptions).
template <class AdamLikeOptions>
AdamState adam_state(const AdamLikeOptions& options, int64_t numel) {
  const auto max_size = options.amsgrad ? static_cast<size_t>(numel) : 0;
  return AdamState{zero_moments(numel), std::vector<float>(max_size, 0.0F)};
}
/// Lists step, exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq.
void visit_adam_state(AdamState& state, bool amsgrad, int64_t numel, StateFields& fields);
/// One Adam step of parameter `p` (Adam's and AdamW's update; `options` as an AdamOptions).
void adam_step(const ParamView& p, AdamState& state, const AdamOptions& options,
               WeightDecay weight_decay);

}  // namespace detail
}  // namespace minidl::optim
