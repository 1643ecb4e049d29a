// Tutorial snippet (docs/backprop.md, "The chain rule"): one neuron y = tanh(w·x + b), its
// gradient by the chain rule written out, and the same gradient from autograd.
#include <cmath>
#include <iostream>

#include "minidl.h"

using namespace minidl;

int main() {
  const float x = 0.5F;
  Tensor w = from_vector({2.0F}).requires_grad_();
  Tensor b = from_vector({-0.5F}).requires_grad_();
  Tensor z = w * x + b;  // z = 0.5
  Tensor y = tanh(z);    // y = tanh(0.5)
  y.backward();          // dy/dy = 1, then back through tanh, add, mul

  // By hand: dy/dw = dy/dz · dz/dw = (1 − tanh²(z)) · x, and dy/db = (1 − tanh²(z)) · 1.
  const float dy_dz = 1.0F - std::pow(std::tanh(0.5F), 2.0F);
  std::cout << "dy/dw: autograd " << w.grad().item() << ", by hand " << dy_dz * x << "\n";
  std::cout << "dy/db: autograd " << b.grad().item() << ", by hand " << dy_dz << "\n";
  return std::fabs(w.grad().item() - dy_dz * x) < 1e-6F ? 0 : 1;
}
