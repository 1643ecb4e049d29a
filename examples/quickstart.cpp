// The README's first example: fit y = x·w + b by gradient descent with autograd.
#include <iostream>

#include "minidl.h"

using namespace minidl;

int main() {
  Generator gen(0);
  Tensor x = randn({64, 3}, gen);
  Tensor y = matmul(x, from_vector({2, -1, 0.5F}, {3, 1})) + 1.0F;  // targets: y = x·w + 1
  Tensor w = zeros({3, 1}).requires_grad_(), b = zeros({1}).requires_grad_();
  for (int step = 0; step < 200; ++step) {
    Tensor loss = mean(pow(matmul(x, w) + b - y, 2.0F));  // mean squared error
    loss.backward();                                      // fills w.grad() and b.grad()
    NoGradGuard no_grad;                                  // plain SGD update, not recorded
    w.add_(w.grad(), -0.1F), b.add_(b.grad(), -0.1F), w.zero_grad(), b.zero_grad();
  }
  std::cout << "w = " << w << "\nb = " << b << "\n";
}
