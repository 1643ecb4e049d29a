// AMSGrad: Adam whose second-moment estimate never decreases, which repairs Adam's convergence
// proof. Source: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR 2018,
// Algorithm 2, with Adam's bias correction kept as in PyTorch's amsgrad=True.
//
//   m_t, v_t as in Adam (g_t = grad + λ θ_{t-1}, coupled L2)
//   v_t^max = max(v_{t-1}^max, v_t)
//   θ_t = θ_{t-1} - η (m_t / (1 - β1^t)) / (√(v_t^max / (1 - β2^t)) + ε)
//
// Equivalent to Adam({.amsgrad = true}); this name exists so the algorithm has its own page.
#pragma once

#include "optim/adam.h"

namespace minidl::optim {

/// Options of AMSGrad; defaults match PyTorch's Adam with amsgrad=True.
struct AMSGradOptions {
  double lr = 1e-3;           ///< η
  double beta1 = 0.9;         ///< β1
  double beta2 = 0.999;       ///< β2
  double eps = 1e-8;          ///< ε
  double weight_decay = 0.0;  ///< λ, coupled L2
};

/// Adam with the running maximum of the second moment.
class AMSGrad : public Adam {
 public:
  /// Validates `options` and builds one state per parameter.
  AMSGrad(std::vector<Tensor> params, AMSGradOptions options = {});
};

}  // namespace minidl::optim
