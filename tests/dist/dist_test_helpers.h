// Helpers of the minidl::dist suite: a small seeded model and a float comparison.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>

#include "core/generator.h"
#include "nn/activation.h"
#include "nn/linear.h"
#include "nn/module.h"
#include "nn/sequential.h"

namespace minidl::dist_test {

/// A 6-8-3 tanh MLP (no BatchNorm, no Dropout) initialised from `seed`.
inline std::shared_ptr<nn::Sequential> small_mlp(uint64_t seed, int64_t hidden = 8) {
  Generator g(seed);
  return std::make_shared<nn::Sequential>(nn::Linear({.in = 6, .out = hidden}, g), nn::Tanh(),
                                          nn::Linear({.in = hidden, .out = 3}, g));
}

/// Checks that two tensors hold the same values within `relative` (with an absolute floor of
/// relative * 0.1 for values near zero), naming `what` on failure.
inline void check_close(const Tensor& actual, const Tensor& expected, const std::string& what,
                        double relative = 1e-5) {
  REQUIRE(actual.shape() == expected.shape());
  const std::vector<float> a = actual.to_vector();
  const std::vector<float> e = expected.to_vector();
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double scale = std::max(std::abs(static_cast<double>(e[i])), 0.1);
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - e[i]) / scale);
  }
  INFO(what, ": worst relative difference ", worst);
  CHECK(worst <= relative);
}

}  // namespace minidl::dist_test
