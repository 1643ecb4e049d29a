// Helpers shared by the optim tests: the three-step fixture (a two-element parameter and three
// fixed gradients), running an optimizer over fixed gradients, and trajectory checks.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <vector>

#include "core/factories.h"
#include "core/tensor.h"
#include "optim/optimizer.h"

namespace minidl::optim::testing {

/// Builds an optimizer over the given parameters (one entry of a table of configurations).
using MakeOptimizer = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;

/// A MakeOptimizer for `OptimizerType` with fixed `options`.
template <class OptimizerType, class Options>
MakeOptimizer maker(Options options) {
  return [options](std::vector<Tensor> params) {
    return std::make_unique<OptimizerType>(std::move(params), options);
  };
}

/// θ0 of the three-step tests.
inline const std::vector<float> kStart = {1.0F, -2.0F};
/// g1, g2, g3 of the three-step tests (fixed, not computed from θ).
inline const std::vector<std::vector<float>> kGradients = {
    {0.5F, -1.0F}, {-0.25F, 2.0F}, {1.0F, 0.5F}};

/// A leaf parameter holding `values`, with requires_grad set.
inline Tensor make_param(const std::vector<float>& values) {
  Tensor param = from_vector(values);
  param.requires_grad_();
  return param;
}

/// Sets each gradient in turn and steps; returns the parameter's values after every step.
inline std::vector<std::vector<float>> run_fixed_gradients(
    FirstOrderOptimizer& optimizer, const Tensor& param,
    const std::vector<std::vector<float>>& gradients) {
  std::vector<std::vector<float>> trajectory;
  for (const std::vector<float>& gradient : gradients) {
    param.set_grad(from_vector(gradient));
    optimizer.step();
    trajectory.push_back(param.to_vector());
  }
  return trajectory;
}

/// CHECKs every value of every step against the hand-computed ones (relative 1e-6).
inline void check_trajectory(const std::vector<std::vector<float>>& actual,
                             const std::vector<std::vector<double>>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t step = 0; step < expected.size(); ++step) {
    REQUIRE(actual[step].size() == expected[step].size());
    for (size_t i = 0; i < expected[step].size(); ++i) {
      INFO("after step " << step + 1 << ", element " << i);
      CHECK(actual[step][i] == doctest::Approx(expected[step][i]).epsilon(1e-6));
    }
  }
}

/// Runs the three-step fixture on an optimizer built by `make(params)` and checks the result.
template <class MakeOptimizer>
void check_three_steps(MakeOptimizer make, const std::vector<std::vector<double>>& expected) {
  const Tensor param = make_param(kStart);
  auto optimizer = make(std::vector<Tensor>{param});
  check_trajectory(run_fixed_gradients(optimizer, param, kGradients), expected);
}

}  // namespace minidl::optim::testing
