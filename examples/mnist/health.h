// The training health report of `mnist --health`: per epoch and per layer, the gradient norm
// and the size of the last update relative to the weights for every parameter, and the fraction
// of dead ReLU units (zero for every image of a fixed batch) after every ReLU.
//
// Definitions (all at the end of an epoch):
//   grad_norm    ‖g‖₂ of the parameter's gradient at the epoch's last step
//   update_ratio ‖Δw‖₂ / ‖w‖₂ of the epoch's last optimizer step (healthy: roughly 1e-4..1e-2)
//   dead         fraction of a ReLU's units (channel × position for conv layers) that output 0
//                for every one of the fixed batch's images
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "nn/sequential.h"

namespace minidl::examples {

/// Health of one parameter.
struct ParameterHealth {
  std::string name;  ///< dotted name, e.g. "0.weight"
  double grad_norm = 0.0;
  double weight_norm = 0.0;
  double update_ratio = 0.0;  ///< ‖w − before‖ / ‖w‖
};

/// Health of one ReLU layer on a fixed batch.
struct ReluHealth {
  std::string name;  ///< the layer's index in the Sequential, e.g. "1"
  int64_t units = 0;
  double dead_fraction = 0.0;
};

/// Copies of every parameter's values, to measure the next update against.
std::vector<Tensor> snapshot_parameters(const nn::Module& model);

/// Gradient norm, weight norm and update ratio of every parameter against `before`
/// (snapshot_parameters from before the last step).
std::vector<ParameterHealth> parameter_health(const nn::Module& model,
                                              const std::vector<Tensor>& before);

/// Runs `batch` [N, ...] through `model` layer by layer (eval mode, no graph) and measures the
/// dead units after every ReLU.
std::vector<ReluHealth> relu_health(nn::Sequential& model, const Tensor& batch);

/// Prints the epoch's report as an aligned table.
void print_health(std::ostream& out, int64_t epoch, const std::vector<ParameterHealth>& params,
                  const std::vector<ReluHealth>& relus);

/// The CSV header: epoch,layer,grad_norm,weight_norm,update_ratio,dead_relu_fraction.
std::string health_csv_header();
/// The epoch's CSV rows (parameters, then ReLUs; cells that do not apply are empty).
std::string health_csv_rows(int64_t epoch, const std::vector<ParameterHealth>& params,
                            const std::vector<ReluHealth>& relus);

}  // namespace minidl::examples
