// Helpers shared by the nn tests: inputs without ties, element-wise approximate comparison, and
// gradcheck through a module with respect to its input and every parameter.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "gradcheck_registry.h"
#include "minidl.h"

namespace minidl::testing {

/// A leaf requiring grad holding shuffled multiples of `step` centred on 0 and shifted by a
/// quarter step: no two elements are closer than `step` (no ties for max pooling to flip) and
/// none is within step / 4 of 0 (no kinks for abs).
inline Tensor distinct(const Shape& shape, uint64_t seed, float step = 0.05F) {
  const int64_t count = numel_of(shape);
  std::vector<float> values(static_cast<size_t>(count));
  std::iota(values.begin(), values.end(), 0.0F);
  Generator generator(seed);
  for (size_t i = values.size(); i > 1; --i) {
    std::swap(values[i - 1], values[generator.below(i)]);
  }
  for (float& value : values) value = (value - static_cast<float>(count) / 2.0F + 0.25F) * step;
  return from_vector(values, shape).requires_grad_();
}

/// Checks that `actual` holds `expected` up to `tolerance` per element, reporting the first miss.
inline void check_close(const Tensor& actual, const std::vector<float>& expected,
                        float tolerance = 1e-5F) {
  std::vector<float> values = actual.to_vector();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("element " << i << ": " << values[i] << " vs expected " << expected[i]);
    CHECK(std::fabs(values[i] - expected[i]) <= tolerance * (1.0F + std::fabs(expected[i])));
  }
}

/// Gradchecks `module` on `input` with respect to the input and every parameter at once (the
/// module's parameters are rebound to gradcheck's private copies, then restored).
inline void check_module_gradients(nn::Module& module, const Tensor& input,
                                   const GradcheckOptions& options = {}) {
  const std::vector<nn::NamedTensor> originals = module.named_parameters();
  std::vector<Tensor> inputs{input.detach().clone().requires_grad_()};
  for (const auto& [name, parameter] : originals) {
    inputs.push_back(parameter.detach().clone().requires_grad_());
  }
  auto fn = [&](const std::vector<Tensor>& leaves) {
    for (size_t i = 0; i < originals.size(); ++i) {
      module.set_parameter(originals[i].first, leaves[i + 1]);
    }
    return module(leaves[0]);
  };
  const GradcheckResult result = gradcheck(fn, inputs, options);
  for (const auto& [name, parameter] : originals) module.set_parameter(name, parameter);
  const std::string worst = result.worst_input <= 0
                                ? "the input"
                                : originals[static_cast<size_t>(result.worst_input - 1)].first;
  INFO(module.describe() << ": worst gradient is that of " << worst << ": " << result.message);
  CHECK(result.ok);
}

}  // namespace minidl::testing
