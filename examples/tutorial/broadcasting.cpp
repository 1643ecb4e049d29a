// Tutorial snippet (docs/backprop.md, "Broadcasting backward"): a bias [3] added to every row
// of a [4, 3] batch receives the sum of the rows' gradients.
#include <iostream>

#include "minidl.h"

using namespace minidl;

int main() {
  Tensor batch = ones({4, 3});
  Tensor bias = zeros({3}).requires_grad_();
  Tensor out = batch + bias;  // bias is broadcast to [4, 3]: each element used 4 times
  autograd::NarrateGuard narrate(std::cout, {{bias, "bias"}});
  sum(out * 2.0F).backward();
  std::cout << "bias.grad = " << bias.grad() << "\n";  // 4 rows × 2 = [8, 8, 8]
  return bias.grad().to_vector() == std::vector<float>{8, 8, 8} ? 0 : 1;
}
