// nn::init: each scheme reduces to "uniform with bound b" or "normal with std s" (see init.h).
#include "nn/init.h"

#include <cmath>
#include <numbers>

#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"

namespace minidl::nn::init {

namespace {

// Overwrites `tensor` with `values` without recording (parameters require grad).
Tensor overwrite(const Tensor& tensor, const Tensor& values) {
  NoGradGuard no_grad;
  tensor.copy_(values);
  return tensor;
}

Tensor fill_uniform_bound(const Tensor& tensor, Generator& generator, double bound) {
  const auto b = static_cast<float>(bound);
  return overwrite(tensor, minidl::uniform(tensor.shape(), -b, b, generator));
}

Tensor fill_normal_std(const Tensor& tensor, Generator& generator, double std) {
  return overwrite(tensor,
                   minidl::normal(tensor.shape(), 0.0F, static_cast<float>(std), generator));
}

// The standard deviation kaiming_* aims for: gain / sqrt(fan).
double kaiming_std(const Tensor& tensor, const KaimingOptions& options) {
  const Fans fans = compute_fans(tensor);
  const int64_t fan = options.mode == FanMode::FanIn ? fans.in : fans.out;
  return calculate_gain(options.nonlinearity, options.negative_slope) /
         std::sqrt(static_cast<double>(fan));
}

double xavier_std(const Tensor& tensor, double gain) {
  const Fans fans = compute_fans(tensor);
  return gain * std::sqrt(2.0 / static_cast<double>(fans.in + fans.out));
}

double lecun_std(const Tensor& tensor) {
  return 1.0 / std::sqrt(static_cast<double>(compute_fans(tensor).in));
}

constexpr double kSqrt3 = std::numbers::sqrt3;  // uniform [-b, b] has std b / sqrt(3)

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double negative_slope) {
  switch (nonlinearity) {
    case Nonlinearity::Linear:
    case Nonlinearity::Conv:
    case Nonlinearity::Sigmoid:
      return 1.0;
    case Nonlinearity::Tanh:
      return 5.0 / 3.0;
    case Nonlinearity::ReLU:
      return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU:
      return std::sqrt(2.0 / (1.0 + negative_slope * negative_slope));
    case Nonlinearity::SELU:
      return 0.75;
  }
  throw Error("calculate_gain: unknown nonlinearity");
}

Fans compute_fans(const Tensor& tensor) {
  MINIDL_CHECK(tensor.dim() >= 2,
               "nn::init: fan-in and fan-out need a tensor of at least 2 dims, got shape {}",
               tensor.shape());
  int64_t receptive_field = 1;  // prod(k...) of a weight [out, in, k...]
  for (int64_t d = 2; d < tensor.dim(); ++d) receptive_field *= tensor.size(d);
  const Fans fans{tensor.size(1) * receptive_field, tensor.size(0) * receptive_field};
  MINIDL_CHECK(fans.in > 0 && fans.out > 0, "nn::init: tensor of shape {} has an empty fan",
               tensor.shape());
  return fans;
}

Tensor zeros_(const Tensor& tensor) { return constant_(tensor, 0.0F); }

Tensor constant_(const Tensor& tensor, float value) {
  NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}

Tensor uniform_(const Tensor& tensor, float low, float high, Generator& generator) {
  MINIDL_CHECK(low < high, "nn::init::uniform_: low {} must be below high {}", low, high);
  return overwrite(tensor, minidl::uniform(tensor.shape(), low, high, generator));
}

Tensor normal_(const Tensor& tensor, float mean, float std, Generator& generator) {
  MINIDL_CHECK(std >= 0.0F, "nn::init::normal_: negative standard deviation {}", std);
  return overwrite(tensor, minidl::normal(tensor.shape(), mean, std, generator));
}

Tensor lecun_uniform_(const Tensor& tensor, Generator& generator) {
  return fill_uniform_bound(tensor, generator, kSqrt3 * lecun_std(tensor));
}

Tensor lecun_normal_(const Tensor& tensor, Generator& generator) {
  return fill_normal_std(tensor, generator, lecun_std(tensor));
}

Tensor xavier_uniform_(const Tensor& tensor, double gain, Generator& generator) {
  return fill_uniform_bound(tensor, generator, kSqrt3 * xavier_std(tensor, gain));
}

Tensor xavier_normal_(const Tensor& tensor, double gain, Generator& generator) {
  return fill_normal_std(tensor, generator, xavier_std(tensor, gain));
}

Tensor kaiming_uniform_(const Tensor& tensor, const KaimingOptions& options, Generator& generator) {
  return fill_uniform_bound(tensor, generator, kSqrt3 * kaiming_std(tensor, options));
}

Tensor kaiming_normal_(const Tensor& tensor, const KaimingOptions& options, Generator& generator) {
  return fill_normal_std(tensor, generator, kaiming_std(tensor, options));
}

void layer_default_(const Tensor& weight, const Tensor& bias, Generator& generator) {
  // slope sqrt(5): gain sqrt(2 / 6), bound gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in)
  kaiming_uniform_(weight, {.negative_slope = std::sqrt(5.0)}, generator);
  if (bias.defined()) fill_uniform_bound(bias, generator, lecun_std(weight));
}

}  // namespace minidl::nn::init
