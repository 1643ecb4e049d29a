// gradcheck: compares the gradients autograd computes with central finite differences.
//
// The function's output is reduced to a scalar L = sum(w * fn(inputs)) with fixed random
// weights w (so every output element matters), L is evaluated in double, and for every element
// x of every input that requires grad:
//   numeric  = (L(x + eps) - L(x - eps)) / (x_plus - x_minus)   (actual float steps)
//   analytic = dL/dx from backward()
// and the check passes when |analytic - numeric| <= atol + rtol * |numeric| everywhere.
// Float32 tolerances: with eps = 1e-3 and inputs of order 1, truncation error is ~1e-6 and
// float rounding of the outputs contributes ~1e-4, so atol = rtol = 1e-2 separates real
// mistakes (errors of order 1) from noise. Choose inputs away from kinks (relu at 0, abs at 0).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace minidl {

/// Step and tolerances for gradcheck.
struct GradcheckOptions {
  double eps = 1e-3;   ///< finite-difference step
  double atol = 1e-2;  ///< absolute tolerance
  double rtol = 1e-2;  ///< relative tolerance (of the numeric gradient)
  uint64_t seed = 0;   ///< seed of the output weights
};

/// What gradcheck found; `worst_*` describe the element with the largest excess error.
struct GradcheckResult {
  bool ok = true;
  int64_t worst_input = -1;    ///< which input
  int64_t worst_element = -1;  ///< flat index in that input
  double analytic = 0.0;
  double numeric = 0.0;
  double abs_error = 0.0;
  double rel_error = 0.0;
  std::string message;  ///< a readable summary naming the worst element
};

/// Checks fn's backward against finite differences for every input with requires_grad set.
GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options = {});

}  // namespace minidl
