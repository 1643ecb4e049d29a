// Synthetic datasets: linear regression data, two moons, spirals.
#include "data/synthetic.h"

#include <cmath>
#include <numbers>

#include "core/error.h"

namespace minidl::data {

std::shared_ptr<TensorDataset> make_linear(int64_t samples, const std::vector<float>& weights,
                                           float bias, float noise, Generator& generator) {
  MINIDL_CHECK(samples > 0 && !weights.empty() && noise >= 0.0F,
               "make_linear: need samples > 0, at least one weight and noise >= 0 (got samples={}, "
               "{} weights, noise={})",
               samples, weights.size(), noise);
  const auto features = static_cast<int64_t>(weights.size());
  Tensor inputs = Tensor::empty({samples, features}, "make_linear");
  Tensor targets = Tensor::empty({samples, 1}, "make_linear");
  for (int64_t i = 0; i < samples; ++i) {
    double y = bias;
    for (int64_t j = 0; j < features; ++j) {
      const float x = generator.normal();
      inputs.data()[i * features + j] = x;
      y += static_cast<double>(x) * weights[static_cast<size_t>(j)];
    }
    targets.data()[i] = static_cast<float>(y) + noise * generator.normal();
  }
  return std::make_shared<TensorDataset>(inputs, targets);
}

std::shared_ptr<TensorDataset> make_moons(int64_t samples, float noise, Generator& generator) {
  MINIDL_CHECK(samples >= 2 && noise >= 0.0F,
               "make_moons: need samples >= 2 and noise >= 0 (got {}, {})", samples, noise);
  Tensor inputs = Tensor::empty({samples, 2}, "make_moons");
  Tensor targets = Tensor::empty({samples}, "make_moons");
  const int64_t first = samples / 2;
  for (int64_t i = 0; i < samples; ++i) {
    const bool upper = i < first;
    const int64_t k = upper ? i : i - first;
    const int64_t n = upper ? first : samples - first;
    const double angle = std::numbers::pi * static_cast<double>(k) /
                         static_cast<double>(std::max<int64_t>(n - 1, 1));
    // Upper moon: the top half of a unit circle; lower moon: flipped and shifted by (1, 0.5).
    const double x = upper ? std::cos(angle) : 1.0 - std::cos(angle);
    const double y = upper ? std::sin(angle) : 0.5 - std::sin(angle);
    inputs.data()[2 * i] = static_cast<float>(x) + noise * generator.normal();
    inputs.data()[2 * i + 1] = static_cast<float>(y) + noise * generator.normal();
    targets.data()[i] = upper ? 0.0F : 1.0F;
  }
  return std::make_shared<TensorDataset>(inputs, targets);
}

std::shared_ptr<TensorDataset> make_spirals(int64_t per_class, int64_t classes, float noise,
                                            Generator& generator) {
  MINIDL_CHECK(per_class >= 2 && classes >= 1 && noise >= 0.0F,
               "make_spirals: need per_class >= 2, classes >= 1 and noise >= 0 (got {}, {}, {})",
               per_class, classes, noise);
  const int64_t samples = checked_mul("make_spirals", per_class, classes);
  Tensor inputs = Tensor::empty({samples, 2}, "make_spirals");
  Tensor targets = Tensor::empty({samples}, "make_spirals");
  for (int64_t c = 0; c < classes; ++c) {
    for (int64_t k = 0; k < per_class; ++k) {
      const int64_t i = c * per_class + k;
      const double radius = static_cast<double>(k) / static_cast<double>(per_class - 1);
      // Each arm turns through 4 radians, starting 2π/classes after the previous one.
      const double angle =
          2.0 * std::numbers::pi * static_cast<double>(c) / static_cast<double>(classes) +
          4.0 * radius + noise * generator.normal();
      inputs.data()[2 * i] = static_cast<float>(radius * std::sin(angle));
      inputs.data()[2 * i + 1] = static_cast<float>(radius * std::cos(angle));
      targets.data()[i] = static_cast<float>(c);
    }
  }
  return std::make_shared<TensorDataset>(inputs, targets);
}

}  // namespace minidl::data
