// Gradient clipping, applied between backward() and step():
//   clip_grad_norm:  ‖g‖_p = (Σ over all parameters and elements |g|^p)^(1/p)  (p = ∞: max |g|);
//                    when ‖g‖_p > max_norm every gradient is scaled by max_norm / (‖g‖_p + 1e-6),
//                    which keeps the direction and bounds the step (Pascanu, Mikolov & Bengio,
//                    "On the difficulty of training recurrent neural networks", ICML 2013).
//   clip_grad_value: every gradient element is clamped to [-clip_value, clip_value].
// Parameters without a gradient are skipped.
#pragma once

#include <limits>
#include <vector>

#include "core/tensor.h"

namespace minidl::optim {

/// The p-norm of infinity, for clip_grad_norm's norm_type.
inline constexpr double kInfinityNorm = std::numeric_limits<double>::infinity();

/// Scales all gradients together so their joint p-norm is at most `max_norm`; returns the norm
/// before clipping. A non-finite norm leaves the gradients unchanged (check the returned value).
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0);

/// Clamps every gradient element to [-clip_value, clip_value].
void clip_grad_value(const std::vector<Tensor>& params, double clip_value);

}  // namespace minidl::optim
