// Uses the installed minidl: one gradient through matmul, printed and checked.
#include <minidl.h>

int main() {
  minidl::Tensor w = minidl::from_vector({1, 2, 3, 4}, {2, 2}).requires_grad_();
  minidl::Tensor loss = minidl::sum(minidl::matmul(w, minidl::ones({2, 1})));
  loss.backward();
  return loss.item() == 10.0F && w.grad().to_vector() == std::vector<float>{1, 1, 1, 1} ? 0 : 1;
}
