// Tutorial snippet (docs/backprop.md, "Why gradients from several consumers add"): h is used
// twice, so its gradient is the sum of the two paths' contributions; to_dot marks the spot.
#include <iostream>

#include "minidl.h"

using namespace minidl;

int main() {
  Tensor x = from_vector({3.0F}).requires_grad_();
  Tensor h = x * 2.0F;           // h = 6
  Tensor loss = sum(h * h + h);  // h feeds mul (twice) and add: dloss/dh = 2h + 1 = 13
  {
    autograd::NarrateGuard narrate(std::cout, {{x, "x"}, {h, "h"}, {loss, "loss"}});
    loss.backward({}, /*retain_graph=*/true);
  }
  std::cout << "dloss/dx = " << x.grad().item() << " (by hand: (2h + 1) · 2 = 26)\n\n";
  std::cout << autograd::to_dot(loss, {.names = {{x, "x"}, {h, "h"}, {loss, "loss"}}});
  return x.grad().item() == 26.0F ? 0 : 1;
}
