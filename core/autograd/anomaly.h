// Anomaly detection: while a DetectAnomalyGuard is alive on a thread, every op's output (forward)
// and every gradient the engine computes (backward) is scanned, and the first NaN or Inf throws
// minidl::Error naming the op, the pass, the input and output shapes and the layer path where it
// is known. Off by default; when off, each op pays one test of a thread-local bool.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace minidl::autograd {

/// Thread-local switch: is anomaly detection on?
class AnomalyMode {
 public:
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

/// RAII: turns anomaly detection on for this thread until the guard is destroyed.
class DetectAnomalyGuard {
 public:
  DetectAnomalyGuard() : previous_(AnomalyMode::is_enabled()) { AnomalyMode::set_enabled(true); }
  ~DetectAnomalyGuard() { AnomalyMode::set_enabled(previous_); }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool previous_;
};

/// RAII: pushes one component of the current layer path (e.g. `(7) Linear(in=256, out=120)`)
/// for anomaly messages; modules create it only while anomaly detection is on.
class LayerScope {
 public:
  /// Pushes `layer` onto this thread's layer path.
  explicit LayerScope(std::string layer);
  /// Pops it.
  ~LayerScope();
  LayerScope(const LayerScope&) = delete;
  LayerScope& operator=(const LayerScope&) = delete;
};

/// The current layer path, components joined by " / " (empty outside any module).
std::string current_layer_path();

/// Throws when `out` of op `name` holds a NaN or Inf (forward pass); `layer` is the layer path.
void check_forward(std::string_view name, const std::vector<Tensor>& inputs, const Tensor& out,
                   const std::string& layer);

/// Throws when `grad`, the gradient op `name` computed for input `index` (shape `input_shape`)
/// from a gradient of shape `output_shape`, holds a NaN or Inf (backward pass).
void check_backward(std::string_view name, size_t index, const Shape& input_shape,
                    const Shape& output_shape, const Tensor& grad, const std::string& layer);

}  // namespace minidl::autograd
