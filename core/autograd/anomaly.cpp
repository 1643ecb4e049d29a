// Anomaly detection: the thread-local switch, the layer-path stack and the NaN/Inf scans.
#include "core/autograd/anomaly.h"

#include <cmath>

#include "core/error.h"

namespace minidl::autograd {

namespace {

thread_local bool anomaly_enabled = false;
thread_local std::vector<std::string> layer_path;

// Index of the first non-finite element of `t` (-1 when all are finite).
int64_t first_non_finite(const Tensor& t) {
  const Tensor dense = t.contiguous();
  const float* values = dense.data();
  for (int64_t i = 0, end = dense.numel(); i < end; ++i) {
    if (!std::isfinite(values[i])) return i;
  }
  return -1;
}

std::string in_layer(const std::string& layer) {
  return layer.empty() ? std::string() : fmt::format(" in layer {}", layer);
}

}  // namespace

bool AnomalyMode::is_enabled() { return anomaly_enabled; }
void AnomalyMode::set_enabled(bool enabled) { anomaly_enabled = enabled; }

LayerScope::LayerScope(std::string layer) { layer_path.push_back(std::move(layer)); }
LayerScope::~LayerScope() { layer_path.pop_back(); }

std::string current_layer_path() { return fmt::format("{}", fmt::join(layer_path, " / ")); }

void check_forward(std::string_view name, const std::vector<Tensor>& inputs, const Tensor& out,
                   const std::string& layer) {
  const int64_t bad = first_non_finite(out);
  if (bad < 0) return;
  std::vector<Shape> input_shapes;
  bool inputs_finite = true;
  for (const Tensor& input : inputs) {
    input_shapes.push_back(input.shape());
    inputs_finite = inputs_finite && first_non_finite(input) < 0;
  }
  throw Error(fmt::format(
      "anomaly detected: forward of '{}'{} produced {} at element {} of its output; inputs {}, "
      "output {}{}",
      name, in_layer(layer), out.contiguous().data()[bad], bad, input_shapes, out.shape(),
      inputs_finite ? " (all inputs were finite)" : " (an input already held NaN or Inf)"));
}

void check_backward(std::string_view name, size_t index, const Shape& input_shape,
                    const Shape& output_shape, const Tensor& grad, const std::string& layer) {
  const int64_t bad = first_non_finite(grad);
  if (bad < 0) return;
  throw Error(fmt::format(
      "anomaly detected: backward of '{}'{} produced {} at element {} of the gradient for input "
      "{} (shape {}) from an output gradient of shape {}",
      name, in_layer(layer), grad.contiguous().data()[bad], bad, index, input_shape, output_shape));
}

}  // namespace minidl::autograd
