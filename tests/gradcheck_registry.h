// The registry of gradcheck cases: every differentiable op registers at least one case
// (in tests/core/gradcheck_cases.cpp, or its own layer's file), and test_gradcheck runs them
// all and fails when a name in autograd::kDifferentiableOps has none.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "minidl.h"

namespace minidl::testing {

/// One gradcheck: the op it covers, a function of the inputs, the inputs (those with
/// requires_grad set are checked) and the tolerances.
struct GradcheckCase {
  std::string op;
  std::string description;
  std::function<Tensor(const std::vector<Tensor>&)> fn;
  std::vector<Tensor> inputs;
  GradcheckOptions options = {};
};

/// Every registered case, in registration order.
std::vector<GradcheckCase>& gradcheck_cases();

/// Registers cases at static-initialization time: `static RegisterGradchecks r{{...}};`.
struct RegisterGradchecks {
  explicit RegisterGradchecks(std::vector<GradcheckCase> cases) {
    for (auto& c : cases) gradcheck_cases().push_back(std::move(c));
  }
};

/// A leaf tensor requiring grad, filled from a seeded uniform draw in [low, high).
inline Tensor leaf(const Shape& shape, uint64_t seed, float low = -1.0F, float high = 1.0F) {
  Generator generator(seed);
  return uniform(shape, low, high, generator).requires_grad_();
}

}  // namespace minidl::testing
