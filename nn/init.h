// nn::init: fill a tensor in place (under NoGradGuard, so parameters are fine) with the standard
// weight-initialization schemes, drawing from the Generator passed or the default Generator.
// In-place functions end in `_` and take the tensor first, as in libtorch. Fan-in / fan-out
// follow PyTorch: for a weight [out, in, k...], fan_in = in * prod(k), fan_out = out * prod(k).
//
//   scheme          distribution          standard deviation
//   lecun_*         zero mean             1 / sqrt(fan_in)
//   xavier_*        zero mean             gain * sqrt(2 / (fan_in + fan_out))
//   kaiming_*       zero mean             gain / sqrt(fan)      (fan = fan_in or fan_out)
// A uniform draw in [-b, b] has standard deviation b / sqrt(3), so the *_uniform bound is
// sqrt(3) times the standard deviation of the table.
#pragma once

#include <cstdint>

#include "core/generator.h"
#include "core/tensor.h"

namespace minidl::nn::init {

/// The nonlinearity a layer's output goes through, for calculate_gain.
enum class Nonlinearity { Linear, Conv, Sigmoid, Tanh, ReLU, LeakyReLU, SELU };

/// Whether kaiming_*_ preserves the variance of activations (FanIn) or of gradients (FanOut).
enum class FanMode { FanIn, FanOut };

/// The recommended gain: 1 for Linear/Conv/Sigmoid, 5/3 for Tanh, sqrt(2) for ReLU,
/// sqrt(2 / (1 + slope^2)) for LeakyReLU, 3/4 for SELU.
double calculate_gain(Nonlinearity nonlinearity, double negative_slope = 0.01);

/// The fan-in and fan-out of a weight tensor with at least 2 dims.
struct Fans {
  int64_t in;
  int64_t out;
};
/// Computes Fans for `tensor`; throws for tensors of fewer than 2 dims.
Fans compute_fans(const Tensor& tensor);

/// Options of kaiming_uniform_ / kaiming_normal_.
struct KaimingOptions {
  double negative_slope = 0.0;  ///< the slope `a` when nonlinearity is LeakyReLU
  FanMode mode = FanMode::FanIn;
  Nonlinearity nonlinearity = Nonlinearity::LeakyReLU;  ///< with slope 0: the ReLU gain
};

/// Fills with 0; returns `tensor`.
Tensor zeros_(const Tensor& tensor);
/// Fills with `value`; returns `tensor`.
Tensor constant_(const Tensor& tensor, float value);
/// Uniform values in [low, high).
Tensor uniform_(const Tensor& tensor, float low = 0.0F, float high = 1.0F,
                Generator& generator = default_generator());
/// Normal values with the given mean and standard deviation.
Tensor normal_(const Tensor& tensor, float mean = 0.0F, float std = 1.0F,
               Generator& generator = default_generator());
/// Uniform in [-b, b] with b = sqrt(3 / fan_in): zero mean, std 1 / sqrt(fan_in).
Tensor lecun_uniform_(const Tensor& tensor, Generator& generator = default_generator());
/// Normal with zero mean and std 1 / sqrt(fan_in).
Tensor lecun_normal_(const Tensor& tensor, Generator& generator = default_generator());
/// Uniform in [-b, b] with b = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010).
Tensor xavier_uniform_(const Tensor& tensor, double gain = 1.0,
                       Generator& generator = default_generator());
/// Normal with zero mean and std gain * sqrt(2 / (fan_in + fan_out)).
Tensor xavier_normal_(const Tensor& tensor, double gain = 1.0,
                      Generator& generator = default_generator());
/// Uniform in [-b, b] with b = gain * sqrt(3 / fan) (He et al., 2015).
Tensor kaiming_uniform_(const Tensor& tensor, const KaimingOptions& options = {},
                        Generator& generator = default_generator());
/// Normal with zero mean and std gain / sqrt(fan).
Tensor kaiming_normal_(const Tensor& tensor, const KaimingOptions& options = {},
                       Generator& generator = default_generator());

/// The default of Linear and Conv2d (as in PyTorch): weight from kaiming_uniform_ with slope
/// sqrt(5), i.e. uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)], and bias (if defined) from the
/// same range.
void layer_default_(const Tensor& weight, const Tensor& bias,
                    Generator& generator = default_generator());

}  // namespace minidl::nn::init
