// Tutorial snippet (docs/optimizers-and-schedules.md): three steps of SGD, momentum and Adam on
// f(θ) = θ²/2 from θ = 1 (gradient g = θ), printed beside the update rules worked by hand.
#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "minidl.h"
#include "optim/optim.h"

using namespace minidl;

namespace {

void run(const std::string& name, optim::FirstOrderOptimizer& optimizer, const Tensor& theta) {
  fmt::print("{:<9}", name);
  for (int step = 1; step <= 3; ++step) {
    optimizer.zero_grad();
    (0.5F * sum(theta * theta)).backward();  // g = θ
    optimizer.step();
    fmt::print("  θ{} = {:.5f}", step, theta.item());
  }
  fmt::print("\n");
}

}  // namespace

int main() {
  Tensor a = from_vector({1.0F}).requires_grad_();
  optim::SGD sgd({a}, {.lr = 0.1});  // θ ← θ − η g: 0.9, 0.81, 0.729
  run("sgd", sgd, a);
  Tensor b = from_vector({1.0F}).requires_grad_();
  optim::SGD momentum({b}, {.lr = 0.1, .momentum = 0.9});  // v ← μv + g; θ ← θ − ηv
  run("momentum", momentum, b);                            // 0.9, 0.72, 0.4968
  Tensor c = from_vector({1.0F}).requires_grad_();
  optim::Adam adam({c}, {.lr = 0.1});  // first step moves by η whatever the scale of g
  run("adam", adam, c);                // 0.9, ...
  return std::fabs(a.item() - 0.729F) < 1e-5F && std::fabs(b.item() - 0.486F) < 1e-5F ? 0 : 1;
}
