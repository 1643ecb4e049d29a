// l1_penalty and l2_penalty, written with core ops (their gradients come from abs, mul, sum).
#include "nn/regularization.h"

#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "core/ops/math.h"
#include "core/ops/reduction.h"

namespace minidl::nn {

namespace {

// The sum over tensors of sum(term(p)).
template <class Term>
Tensor total_over(const std::vector<Tensor>& parameters, Term term) {
  Tensor total = scalar_tensor(0.0F);
  for (const Tensor& parameter : parameters) total = add(total, sum(term(parameter)));
  return total;
}

}  // namespace

Tensor l1_penalty(const std::vector<Tensor>& parameters) {
  return total_over(parameters, [](const Tensor& p) { return abs(p); });
}

Tensor l2_penalty(const std::vector<Tensor>& parameters) {
  return total_over(parameters, [](const Tensor& p) { return mul(p, p); });
}

}  // namespace minidl::nn
