// The registry of gradcheck cases: every differentiable op registers at least one case (core's in
// tests/core/gradcheck_cases.cpp, nn's in tests/nn/gradcheck_cases_nn.cpp, a later layer's in its
// own file). test_gradcheck runs them all; test_gradcheck_coverage fails when an op recorded
// anywhere in the suite has no case (see recorded_ops.h), so no op ships without a
// finite-difference check of its backward.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "minidl.h"

namespace minidl::testing {

/// One gradcheck: the op it covers (a name the op records, or a composite of kCompositeOps), a
/// function of the inputs, the inputs (those with requires_grad set are checked) and the
/// tolerances.
struct GradcheckCase {
  std::string op;
  std::string description;
  std::function<Tensor(const std::vector<Tensor>&)> fn;
  std::vector<Tensor> inputs;
  GradcheckOptions options = {};
};

/// Ops written with other ops, which record no node of their own; their cases check the
/// composition.
inline const std::set<std::string> kCompositeOps = {
    "mean",    "var",        "flatten",    "transpose",   "narrow", "stack", "dropout", "mse_loss",
    "l1_loss", "l1_penalty", "l2_penalty", "masked_fill", "std",    "topk",  "repeat"};

/// Test-only ops whose backward is wrong on purpose (to show that gradcheck catches it); they
/// have no case.
inline const std::set<std::string> kDeliberatelyWrongOps = {"WrongCube", "TooManyGradients"};

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
