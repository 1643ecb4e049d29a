// The autograd engine: seeding, accumulation, retain_graph, grad mode, deep graphs, memory.
#include <doctest/doctest.h>

#include "minidl.h"

using namespace minidl;

TEST_CASE("backward of a scalar seeds 1 and applies the chain rule") {
  Tensor x = from_vector({2, 3}).requires_grad_();
  Tensor y = sum(x * x * 3.0F);  // dy/dx = 6x
  y.backward();
  CHECK(x.grad().to_vector() == std::vector<float>{12, 18});
}

TEST_CASE("backward with an explicit gradient for a non-scalar output") {
  Tensor x = from_vector({1, 2, 3}).requires_grad_();
  Tensor y = x * 2.0F;
  y.backward(from_vector({1, 10, 100}));
  CHECK(x.grad().to_vector() == std::vector<float>{2, 20, 200});
}

TEST_CASE("gradients from several consumers add up") {
  Tensor x = from_vector({3}).requires_grad_();
  Tensor a = x * 2.0F;   // used twice below
  Tensor y = a * a + a;  // y = 4x^2 + 2x, dy/dx = 8x + 2 = 26
  y.sum().backward();
  CHECK(x.grad().item() == 26.0F);
}

TEST_CASE("leaf gradients accumulate across backward calls until zero_grad") {
  Tensor x = from_vector({1, 1}).requires_grad_();
  (x * 3.0F).sum().backward();
  (x * 3.0F).sum().backward();
  CHECK(x.grad().to_vector() == std::vector<float>{6, 6});
  x.zero_grad();
  CHECK_FALSE(x.grad().defined());
  (x * 5.0F).sum().backward();
  CHECK(x.grad().to_vector() == std::vector<float>{5, 5});
}

TEST_CASE("leaf gradients never share memory with each other or with the caller's tensors") {
  // Leaves adopt a backward's fresh gradient buffer instead of copying it, but only when nothing
  // else can see it: add's backward hands the same gradient to both inputs, and an explicit
  // gradient belongs to the caller.
  Tensor a = from_vector({1, 2}).requires_grad_();
  Tensor b = from_vector({3, 4}).requires_grad_();
  Tensor seed = from_vector({1, 1});
  (a + b).backward(seed);
  a.grad().add_(from_vector({10, 10}));
  CHECK(b.grad().to_vector() == std::vector<float>{1, 1});
  CHECK(seed.to_vector() == std::vector<float>{1, 1});
  Tensor c = from_vector({5, 6}).requires_grad_();
  c.backward(seed);
  c.grad().add_(from_vector({1, 1}));
  CHECK(seed.to_vector() == std::vector<float>{1, 1});
  Tensor x = from_vector({1, 2}).requires_grad_();
  (x * 3.0F).sum().backward();  // mul's fresh gradient is adopted
  CHECK(x.grad().to_vector() == std::vector<float>{3, 3});
  (x * 3.0F).sum().backward();  // and later ones are added into it
  CHECK(x.grad().to_vector() == std::vector<float>{6, 6});
}

TEST_CASE("backward on a leaf accumulates the seed into its own grad") {
  Tensor x = ones({1}).requires_grad_();
  x.backward();
  CHECK(x.grad().item() == 1.0F);
}

TEST_CASE("retain_graph allows a second backward through the same graph") {
  Tensor x = from_vector({2}).requires_grad_();
  Tensor y = (x * x).sum();
  y.backward({}, true);
  y.backward();
  CHECK(x.grad().item() == 8.0F);
}

TEST_CASE("a second backward through a released graph throws a clear error") {
  Tensor x = from_vector({2}).requires_grad_();
  Tensor y = (x * x).sum();
  y.backward();
  CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("already freed"), Error);
}

TEST_CASE("requires_grad propagates only from inputs that require it") {
  Tensor w = ones({2}).requires_grad_();
  Tensor c = ones({2});
  CHECK((w + c).requires_grad());
  CHECK_FALSE((c + c).requires_grad());
  CHECK((c * 2.0F + w).grad_fn() != nullptr);
  Tensor y = (w * c).sum();
  y.backward();
  CHECK(w.grad().defined());
  CHECK_FALSE(c.grad().defined());
}

TEST_CASE("NoGradGuard stops recording and restores the previous mode") {
  Tensor w = ones({2}).requires_grad_();
  {
    NoGradGuard no_grad;
    CHECK_FALSE(GradMode::is_enabled());
    Tensor y = w * 2.0F;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.grad_fn() == nullptr);
    { NoGradGuard nested; }
    CHECK_FALSE(GradMode::is_enabled());
  }
  CHECK(GradMode::is_enabled());
  CHECK((w * 2.0F).requires_grad());
}

TEST_CASE("backward from a tensor that needs no grad throws a clear error") {
  CHECK_THROWS_WITH_AS(ones({1}).backward(), doctest::Contains("does not require grad"), Error);
}

TEST_CASE("detach cuts the gradient path") {
  Tensor x = from_vector({3}).requires_grad_();
  Tensor y = x * x.detach();  // only the first factor is differentiated
  y.backward();
  CHECK(x.grad().item() == 3.0F);
}

TEST_CASE("a chain of 100,000 ops backpropagates and frees without overflowing the stack") {
  Tensor x = from_vector({1}).requires_grad_();
  Tensor y = x;
  for (int i = 0; i < 100000; ++i) y = y * 1.0F;
  y.backward({}, true);
  CHECK(x.grad().item() == 1.0F);
  y = Tensor();  // destroying the whole chain must not recurse 100,000 deep either
  CHECK(x.grad().item() == 1.0F);
}

TEST_CASE("gradients through broadcasting are summed back to the input shape") {
  Tensor a = ones({2, 3}).requires_grad_();
  Tensor b = from_vector({1, 2, 3}).requires_grad_();
  (a * b).sum().backward();
  CHECK(b.grad().shape() == Shape{3});
  CHECK(b.grad().to_vector() == std::vector<float>{2, 2, 2});
  CHECK(a.grad().to_vector() == std::vector<float>{1, 2, 3, 1, 2, 3});
}

TEST_CASE("1,000 training steps of a small MLP keep memory flat") {
  Generator g(0);
  Tensor w1 = (randn({4, 16}, g) * 0.5F).detach().requires_grad_();
  Tensor w2 = (randn({16, 3}, g) * 0.5F).detach().requires_grad_();
  Tensor x = randn({8, 4}, g);
  auto step = [&] {
    Tensor loss = mean(pow(matmul(relu(matmul(x, w1)), w2), 2.0F));
    loss.backward();
    NoGradGuard no_grad;
    w1.add_(w1.grad(), -0.01F);
    w2.add_(w2.grad(), -0.01F);
    w1.zero_grad();
    w2.zero_grad();
  };
  for (int i = 0; i < 10; ++i) step();
  const int64_t settled = Storage::live_bytes();
  for (int i = 0; i < 1000; ++i) step();
  CHECK(Storage::live_bytes() == settled);
}

TEST_CASE("a tensor saved for backward and modified in place is refused, naming the op") {
  // The classic silent bug: mul saves x for w's gradient; scaling x afterwards would give 10x.
  Tensor x = from_vector({1, 2, 3});
  Tensor w = from_vector({4, 5, 6}).requires_grad_();
  Tensor y = sum(x * w);
  CHECK(x.version() == 0);
  x.mul_(10.0F);
  CHECK(x.version() == 1);
  CHECK_THROWS_WITH_AS(
      y.backward(),
      "a tensor of shape [3] saved by 'mul' for backward was modified in place after it was saved "
      "(version 1 now, 0 when saved); modify a clone() of it instead, or make the change before "
      "the forward or after the backward",
      Error);
}

TEST_CASE("a saved output modified in place is refused too, also through a view") {
  Tensor x = from_vector({0.5F, 1.0F}).requires_grad_();
  Tensor y = exp(x);  // exp saves its output
  Tensor loss = sum(y);
  {
    NoGradGuard no_grad;
    y.detach().reshape({2, 1}).fill_(0.0F);  // a view shares the storage and its version
  }
  CHECK_THROWS_WITH_AS(loss.backward(), doctest::Contains("saved by 'exp'"), Error);
}

TEST_CASE("in-place changes to tensors no backward needs are allowed") {
  Tensor x = from_vector({1, 2});
  Tensor w = from_vector({3, 4}).requires_grad_();
  Tensor y = sum(x + w);  // add saves nothing
  x.add_(from_vector({1, 1}));
  y.backward();
  CHECK(w.grad().to_vector() == std::vector<float>{1, 1});
  Tensor a = from_vector({1, 2});
  Tensor b = from_vector({3, 4}).requires_grad_();
  Tensor z = sum(a * b);
  z.backward();  // the backward ran first: changing a now is fine
  a.mul_(2.0F);
  CHECK(b.grad().to_vector() == std::vector<float>{1, 2});
}

TEST_CASE("in-place methods bump the version once each, clone starts a fresh one") {
  Tensor t = zeros({2});
  t.fill_(1.0F).add_(ones({2})).mul_(3.0F).copy_(ones({2}));
  t.zero_();
  CHECK(t.version() == 5);
  CHECK(t.clone().version() == 0);
  CHECK_THROWS_AS(t.add_(ones({3})), Error);  // a refused change is no change
  CHECK(t.version() == 5);
}

TEST_CASE("an optimizer step between forward and backward is refused by the backward") {
  Tensor x = from_vector({1, 2});
  Tensor w = from_vector({3, 4}).requires_grad_();
  Tensor first = sum(x * w);
  first.backward();
  Tensor second = sum(w * w);  // mul saves w
  optim::SGD sgd({w}, {.lr = 0.1});
  sgd.step();  // changes w in place
  CHECK_THROWS_WITH_AS(second.backward(), doctest::Contains("saved by 'mul'"), Error);
}
