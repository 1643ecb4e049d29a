// examples/custom_op: write your own differentiable op, then check it (docs/custom-ops.md).
// Swish(x) = x · sigmoid(βx), with its derivative written by hand, as a custom autograd Function.
// The program checks the hand-written backward against finite differences with gradcheck, shows
// that gradcheck catches a backward with a mistake in it, and trains a tiny model that uses the
// new op. It exits non-zero when a check fails, so CTest runs it as a test.
#include <any>
#include <cmath>
#include <iostream>
#include <string_view>

#include "minidl.h"

using namespace minidl;

// Swish(x) = x · sigmoid(βx);  d Swish / dx = s + βx · s (1 − s)  with  s = sigmoid(βx).
struct Swish : autograd::Function<Swish> {
  static Tensor forward(autograd::Context& ctx, const Tensor& x, float beta) {
    ctx.save_for_backward({x});     // what backward needs, checked against in-place changes
    ctx.saved_data["beta"] = beta;  // non-tensor values travel in saved_data
    return x * sigmoid(beta * x);   // ops here build no graph: this node is the whole op
  }
  static std::vector<Tensor> backward(autograd::Context& ctx, const Tensor& grad_output) {
    const Tensor x = ctx.saved()[0];
    const auto beta = std::any_cast<float>(ctx.saved_data.at("beta"));
    const Tensor s = sigmoid(beta * x);
    return {grad_output * (s + beta * x * s * (1.0F - s))};  // one gradient per tensor input
  }
};

// The same op with a typical slip: the product rule's second term forgotten.
struct SloppySwish : autograd::Function<SloppySwish> {
  static Tensor forward(autograd::Context& ctx, const Tensor& x) {
    ctx.save_for_backward({x});
    return x * sigmoid(x);
  }
  static std::vector<Tensor> backward(autograd::Context& ctx, const Tensor& grad_output) {
    return {grad_output * sigmoid(ctx.saved()[0])};  // missing + x · s (1 − s)
  }
};

int main(int argc, char** argv) {
  if (argc > 1) {  // no options; --help prints the usage
    const bool help = argc == 2 && std::string_view(argv[1]) == "--help";
    (help ? std::cout : std::cerr)
        << "usage: custom_op (no options: checks a custom Swish op with gradcheck, then trains "
           "with it)\n";
    return help ? 0 : 2;
  }
  Generator gen(0);
  const Tensor x = randn({4, 3}, gen).requires_grad_();

  // 1. The hand-written backward agrees with finite differences.
  const GradcheckResult good =
      gradcheck([](const std::vector<Tensor>& v) { return Swish::apply(v[0], 1.5F); }, {x});
  std::cout << "gradcheck Swish:       " << good.message << "\n";

  // 2. gradcheck catches the slip and says where.
  const GradcheckResult bad =
      gradcheck([](const std::vector<Tensor>& v) { return SloppySwish::apply(v[0]); }, {x});
  std::cout << "gradcheck SloppySwish: " << bad.message << "\n";

  // 3. The op trains like any other: a tiny regression with a Swish hidden layer.
  manual_seed(1);
  nn::Linear hidden({.in = 3, .out = 8});
  nn::Linear output({.in = 8, .out = 1});
  const Tensor inputs = randn({64, 3}, gen);
  const Tensor targets = sum(inputs * inputs, {1}, true);  // y = |x|^2
  std::vector<Tensor> params = hidden.parameters();
  for (const Tensor& p : output.parameters()) params.push_back(p);
  optim::Adam optimizer(params, {.lr = 0.05});
  double first_loss = 0.0;
  double last_loss = 0.0;
  for (int step = 0; step < 200; ++step) {
    optimizer.zero_grad();
    const Tensor loss = nn::mse_loss(output(Swish::apply(hidden(inputs), 1.0F)), targets);
    loss.backward();
    optimizer.step();
    last_loss = loss.item();
    if (step == 0) first_loss = last_loss;
  }
  std::cout << "training with Swish: loss " << first_loss << " -> " << last_loss << "\n";
  return good.ok && !bad.ok && last_loss < 0.1 * first_loss ? 0 : 1;
}
