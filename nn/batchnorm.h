// nn::BatchNorm1d and nn::BatchNorm2d: normalize each channel with batch statistics in
// training (updating running statistics) and with the running statistics in eval mode.
#pragma once

#include <cstdint>
#include <string>

#include "nn/module.h"

namespace minidl::nn {

/// Options of BatchNorm1d / BatchNorm2d.
struct BatchNormOptions {
  int64_t features = 0;   ///< number of channels C (dim 1 of the input)
  float eps = 1e-5F;      ///< added to the variance before the square root
  float momentum = 0.1F;  ///< running = (1 - momentum) running + momentum * batch statistic
  bool affine = true;     ///< learn a per-channel scale (weight) and shift (bias)
};
using BatchNorm1dOptions = BatchNormOptions;
using BatchNorm2dOptions = BatchNormOptions;

/// y = (x - mean) / sqrt(var + eps) * weight + bias per channel. Training uses the batch mean
/// and biased variance and updates the buffers running_mean (init 0) and running_var (init 1,
/// updated with the unbiased variance); eval mode uses the buffers. Parameters (if affine):
/// weight [C] = 1 and bias [C] = 0.
class BatchNorm : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  /// `BatchNorm2d(features=6, eps=1e-05, momentum=0.1)`, plus `affine=false` if set.
  std::string describe() const override;
  /// The options it was built with.
  const BatchNormOptions& options() const { return options_; }
  /// The running mean [C] (a buffer).
  Tensor running_mean() const { return buffer("running_mean"); }
  /// The running (unbiased) variance [C] (a buffer).
  Tensor running_var() const { return buffer("running_var"); }
  /// The scale [C] (undefined when not affine).
  Tensor weight() const { return find_parameter("weight"); }
  /// The shift [C] (undefined when not affine).
  Tensor bias() const { return find_parameter("bias"); }

 protected:
  /// `name` is the layer's type; inputs must have one of the ranks [min_rank, max_rank].
  BatchNorm(std::string name, int64_t min_rank, int64_t max_rank, const BatchNormOptions& options);

 private:
  std::string name_;
  int64_t min_rank_;
  int64_t max_rank_;
  BatchNormOptions options_;
};

/// BatchNorm over input [N, C] or [N, C, L].
class BatchNorm1d : public BatchNorm {
 public:
  /// A BatchNorm1d over options.features channels.
  explicit BatchNorm1d(const BatchNormOptions& options) : BatchNorm("BatchNorm1d", 2, 3, options) {}
};

/// BatchNorm over input [N, C, H, W].
class BatchNorm2d : public BatchNorm {
 public:
  /// A BatchNorm2d over options.features channels.
  explicit BatchNorm2d(const BatchNormOptions& options) : BatchNorm("BatchNorm2d", 4, 4, options) {}
};

}  // namespace minidl::nn
