// nn::LayerNorm and functional `layer_norm`: normalize each sample over its last dims (mean 0,
// variance 1), then scale and shift elementwise, as in Ba, Kiros & Hinton (2016).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/module.h"

namespace minidl::nn {

inline namespace functional {

/// y = (x - mean) / sqrt(var + eps) * weight + bias, the mean and biased variance taken over the
/// last normalized_shape.size() dims of `input`, which must equal normalized_shape; weight and
/// bias have shape normalized_shape and may be undefined. One fused op ("layer_norm").
Tensor layer_norm(const Tensor& input, const std::vector<int64_t>& normalized_shape,
                  const Tensor& weight = {}, const Tensor& bias = {}, float eps = 1e-5F);

}  // namespace functional

/// Options of LayerNorm.
struct LayerNormOptions {
  std::vector<int64_t> normalized_shape;  ///< the trailing dims to normalize over
  float eps = 1e-5F;                      ///< added to the variance before the square root
  bool elementwise_affine = true;         ///< learn weight (init 1) and bias (init 0)
};

/// Layer normalization over the trailing dims normalized_shape of input [*, normalized_shape].
/// Parameters (if elementwise_affine): weight = 1 and bias = 0, both of shape normalized_shape.
/// Same in training and eval mode (no running statistics).
class LayerNorm : public Module {
 public:
  /// A LayerNorm over options.normalized_shape.
  explicit LayerNorm(const LayerNormOptions& options);

  Tensor forward(const Tensor& input) override;
  /// `LayerNorm(normalized_shape=[64], eps=1e-05)`, plus `elementwise_affine=false` if so.
  std::string describe() const override;

  /// The options it was built with.
  const LayerNormOptions& options() const { return options_; }
  /// The scale (undefined when not elementwise_affine).
  Tensor weight() const { return find_parameter("weight"); }
  /// The shift (undefined when not elementwise_affine).
  Tensor bias() const { return find_parameter("bias"); }

 private:
  LayerNormOptions options_;
};

}  // namespace minidl::nn
