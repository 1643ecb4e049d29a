// Tutorial snippet (docs/backprop.md, "Topological order"): backward() visits every op after
// all the ops that use its output; the narration prints that order and each step.
#include <iostream>

#include "minidl.h"

using namespace minidl;

int main() {
  Tensor a = from_vector({1.0F, 2.0F}).requires_grad_();
  Tensor b = from_vector({3.0F, 4.0F}).requires_grad_();
  Tensor c = a * b;      // step 3 below: needs the gradient of c first
  Tensor d = exp(c);     // step 2
  Tensor loss = sum(d);  // step 1: the output
  autograd::NarrateGuard narrate(std::cout,
                                 {{a, "a"}, {b, "b"}, {c, "c"}, {d, "d"}, {loss, "loss"}});
  loss.backward();
  return 0;
}
