// Adam: gradient descent on bias-corrected running averages of the gradient and its square.
// Source: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1.
// The amsgrad option is AMSGrad: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond",
// ICLR 2018, Algorithm 2, with Adam's bias correction kept as in PyTorch's amsgrad=True; the
// second-moment estimate never decreases, which repairs Adam's convergence proof. AdamW (adamw.h)
// shares this implementation with decoupled weight decay.
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

#include <string>
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
};

/// Per-parameter state of Adam and AdamW.
struct AdamState : MomentState {
  std::vector<float> max_exp_avg_sq{};  // v^max, only with amsgrad
};

/// Adam with bias correction, optional AMSGrad and coupled weight decay.
class Adam : public OptimizerWithState<AdamState> {
 public:
  /// Validates `options` and builds one state per parameter.
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  /// The options as given (the live learning rate is lr()).
  const AdamOptions& options() const { return options_; }

 protected:
  /// How weight decay enters the update.
  enum class WeightDecay {
    Coupled,    ///< g += λ θ (L2 regularization, Adam)
    Decoupled,  ///< θ -= η λ θ before the Adam step (AdamW)
  };
  /// For AdamW: the same algorithm under another name and weight-decay mode.
  Adam(std::string kind, std::vector<Tensor> params, AdamOptions options, WeightDecay mode);
  void update() override;
  void visit_state(AdamState& state, int64_t numel, StateFields& fields) const override;

 private:
  AdamOptions options_;
  WeightDecay weight_decay_mode_;
};

}  // namespace minidl::optim
