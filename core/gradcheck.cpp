// gradcheck (see the header for the method and the tolerances).
#include "core/gradcheck.h"

#include <cmath>

#include "core/error.h"
#include "core/factories.h"
#include "core/generator.h"
#include "core/grad_mode.h"
#include "core/ops/arithmetic.h"
#include "core/ops/reduction.h"

namespace minidl {

namespace {

// sum(w * out) in double.
double weighted_sum(const Tensor& out, const std::vector<float>& weights) {
  std::vector<float> values = out.to_vector();
  double total = 0.0;
  for (size_t i = 0; i < values.size(); ++i) total += static_cast<double>(values[i]) * weights[i];
  return total;
}

}  // namespace

GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options) {
  MINIDL_CHECK(options.eps > 0.0 && options.atol >= 0.0 && options.rtol >= 0.0,
               "gradcheck: bad options eps={} atol={} rtol={}", options.eps, options.atol,
               options.rtol);
  // Private leaf copies, so the caller's tensors and their .grad stay untouched.
  std::vector<Tensor> leaves;
  for (const Tensor& input : inputs) {
    Tensor leaf = input.detach().clone();
    if (input.requires_grad()) leaf.requires_grad_();
    leaves.push_back(leaf);
  }

  Tensor out = fn(leaves);
  Generator generator(options.seed);
  Tensor weights = uniform(out.shape(), 0.5F, 1.5F, generator);
  std::vector<float> weight_values = weights.to_vector();
  Tensor loss = sum(mul(out, weights));
  MINIDL_CHECK(loss.requires_grad(), "gradcheck: the function's output does not require grad");
  loss.backward();

  GradcheckResult result;
  double worst_excess = -INFINITY;
  NoGradGuard no_grad;
  for (size_t which = 0; which < leaves.size(); ++which) {
    const Tensor& leaf = leaves[which];
    if (!leaf.requires_grad()) continue;
    Tensor grad = leaf.grad();
    std::vector<float> analytic = grad.defined()
                                      ? grad.to_vector()
                                      : std::vector<float>(static_cast<size_t>(leaf.numel()), 0.0F);
    float* values = leaf.data();  // contiguous: a fresh clone
    for (int64_t i = 0, end = leaf.numel(); i < end; ++i) {
      const float original = values[i];
      const auto plus = static_cast<float>(original + options.eps);
      const auto minus = static_cast<float>(original - options.eps);
      values[i] = plus;
      const double loss_plus = weighted_sum(fn(leaves), weight_values);
      values[i] = minus;
      const double loss_minus = weighted_sum(fn(leaves), weight_values);
      values[i] = original;

      const double numeric = (loss_plus - loss_minus) / (static_cast<double>(plus) - minus);
      const double exact = analytic[static_cast<size_t>(i)];
      const double abs_error = std::fabs(exact - numeric);
      const double excess = abs_error - (options.atol + options.rtol * std::fabs(numeric));
      if (excess > worst_excess || std::isnan(abs_error)) {
        worst_excess = std::isnan(abs_error) ? INFINITY : excess;
        result.worst_input = static_cast<int64_t>(which);
        result.worst_element = i;
        result.analytic = exact;
        result.numeric = numeric;
        result.abs_error = abs_error;
        result.rel_error = abs_error / std::max(std::fabs(numeric), 1e-12);
      }
    }
  }
  result.ok = worst_excess <= 0.0;
  result.message = result.worst_input < 0
                       ? "gradcheck: no input requires grad"
                       : fmt::format(
                             "gradcheck {}: worst at input {} element {}: analytic {:.6g}, "
                             "numeric {:.6g}, abs error {:.3g}, rel error {:.3g} "
                             "(atol {}, rtol {})",
                             result.ok ? "passed" : "FAILED", result.worst_input,
                             result.worst_element, result.analytic, result.numeric,
                             result.abs_error, result.rel_error, options.atol, options.rtol);
  if (result.worst_input < 0) result.ok = false;
  return result;
}

}  // namespace minidl
