// Gradient clipping by joint norm or by value (clip_grad.h).
#include "optim/clip_grad.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"

namespace minidl::optim {

namespace {

// The gradient of `param` as a contiguous tensor that `param.grad()` refers to (a strided
// gradient is replaced by a contiguous copy so the loops below can write it in place).
Tensor contiguous_grad(const Tensor& param) {
  Tensor grad = param.grad();
  if (grad.defined() && !grad.is_contiguous()) {
    grad = grad.contiguous();
    param.set_grad(grad);
  }
  return grad;
}

}  // namespace

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type) {
  MINIDL_CHECK(std::isfinite(max_norm) && max_norm >= 0.0,
               "clip_grad_norm: max_norm must be a finite number >= 0, got {}", max_norm);
  MINIDL_CHECK(norm_type > 0.0, "clip_grad_norm: norm_type must be > 0 (or infinity), got {}",
               norm_type);
  NoGradGuard no_grad;
  const bool infinity_norm = std::isinf(norm_type);
  double accumulated = 0.0;  // Σ|g|^p, or max|g| for p = ∞
  std::vector<Tensor> grads;
  for (const Tensor& param : params) {
    Tensor grad = contiguous_grad(param);
    if (!grad.defined()) continue;
    const float* values = grad.data();
    for (int64_t i = 0, end = grad.numel(); i < end; ++i) {
      const double magnitude = std::abs(static_cast<double>(values[i]));
      accumulated = infinity_norm      ? std::max(accumulated, magnitude)
                    : norm_type == 2.0 ? accumulated + magnitude * magnitude  // no pow call
                                       : accumulated + std::pow(magnitude, norm_type);
    }
    grads.push_back(grad);
  }
  const double total_norm = infinity_norm ? accumulated : std::pow(accumulated, 1.0 / norm_type);
  if (!std::isfinite(total_norm)) return total_norm;
  const double scale = max_norm / (total_norm + 1e-6);
  if (scale < 1.0) {
    for (const Tensor& grad : grads) grad.mul_(static_cast<float>(scale));
  }
  return total_norm;
}

void clip_grad_value(const std::vector<Tensor>& params, double clip_value) {
  MINIDL_CHECK(std::isfinite(clip_value) && clip_value >= 0.0,
               "clip_grad_value: clip_value must be a finite number >= 0, got {}", clip_value);
  NoGradGuard no_grad;
  const auto limit = static_cast<float>(clip_value);
  for (const Tensor& param : params) {
    const Tensor grad = contiguous_grad(param);
    if (!grad.defined()) continue;
    float* values = grad.data();
    for (int64_t i = 0, end = grad.numel(); i < end; ++i)
      values[i] = std::clamp(values[i], -limit, limit);
  }
}

}  // namespace minidl::optim
