// Teaching aids in autograd: the DOT drawing of a graph and the narration of backward().
#include <doctest/doctest.h>

#include <sstream>

#include "minidl.h"

using namespace minidl;

namespace {

int count_of(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("to_dot draws one vertex per op and leaf, edges from inputs to ops") {
  Tensor w = from_vector({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
  Tensor b = from_vector({0.5F}).requires_grad_();
  Tensor x = ones({4, 2});              // a constant: needs no gradient
  Tensor loss = sum(matmul(x, w) + b);  // sum <- add <- (matmul <- (x, w), b)
  const std::string dot = autograd::to_dot(loss, {.names = {{w, "W"}, {b, "b"}, {loss, "L"}}});
  CHECK(dot.starts_with("digraph autograd {"));
  CHECK(count_of(dot, "shape=ellipse") == 3);  // sum, add, matmul
  CHECK(count_of(dot, " -> ") == 5);  // add->sum, matmul->add, b->add, x->matmul, w->matmul
  CHECK(dot.find("n0 [shape=ellipse, label=\"L = sum\\n[]\"]") != std::string::npos);
  CHECK(dot.find("label=\"W\\n[2, 3]\"") != std::string::npos);
  CHECK(dot.find("label=\"constant\\n[4, 2]\"") != std::string::npos);
  CHECK(dot.find("add\\n[4, 3]") != std::string::npos);
  CHECK(dot.find("n1 -> n0;") != std::string::npos);  // data flows from add into sum
  CHECK(dot.find("gradients add here") == std::string::npos);
}

TEST_CASE("to_dot marks where gradients from several consumers add up, with summaries") {
  Tensor x = from_vector({1, 3}).requires_grad_();
  Tensor a = x * 2.0F;  // used by both operands of the mul below
  Tensor y = sum(a * a + x);
  y.backward({}, true);
  const std::string dot = autograd::to_dot(y, {.values = true, .grads = true, .names = {{x, "x"}}});
  CHECK(count_of(dot, "gradients add here") == 2);  // a (two uses in mul) and x (mul_scalar, add)
  CHECK(dot.find("2 consumers: gradients add here") != std::string::npos);
  CHECK(dot.find("min 1 max 3 mean 2") != std::string::npos);         // x's value
  CHECK(dot.find("value 44") != std::string::npos);                   // y = 4 + 36 + 1 + 3
  CHECK(dot.find("grad min 9 max 25 mean 17") != std::string::npos);  // dy/dx = 8x + 1
}

TEST_CASE("to_dot of a leaf is a single vertex") {
  Tensor x = ones({2}).requires_grad_();
  const std::string dot = autograd::to_dot(x);
  CHECK(count_of(dot, "label=") == 1);
  CHECK(count_of(dot, " -> ") == 0);
}

TEST_CASE("broadcast_dims names the dims summed away when an input was broadcast") {
  CHECK(autograd::broadcast_dims({3}, {2, 3}) == std::vector<int64_t>{0});
  CHECK(autograd::broadcast_dims({2, 1}, {2, 3}) == std::vector<int64_t>{1});
  CHECK(autograd::broadcast_dims({1}, {4, 1}) == std::vector<int64_t>{0});
  CHECK(autograd::broadcast_dims({2, 3}, {2, 3}).empty());
  CHECK(autograd::broadcast_dims({3, 4}, {3, 2}).empty());  // matmul: not a broadcast
  CHECK(autograd::broadcast_dims({3, 4}, {}).empty());      // a reduction
}

TEST_CASE("backward narration tells each chain-rule step, broadcasting and fan-in") {
  Tensor w = from_vector({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
  Tensor b = from_vector({1, 1, 1}).requires_grad_();
  Tensor h = w + b;          // b broadcast over dim 0
  Tensor loss = sum(h * h);  // h used twice
  std::ostringstream text;
  {
    autograd::NarrateGuard narrate(text, {{w, "W"}, {b, "b"}, {h, "h"}, {loss, "loss"}});
    loss.backward();
  }
  const std::string s = text.str();
  CHECK(s.find("backward from loss = sum -> [] = 139, seed gradient [] = 1") != std::string::npos);
  CHECK(s.find("order (every op after all ops that use its output): 1 loss = sum, 2 mul, 3 h = "
               "add") != std::string::npos);
  CHECK(s.find("step 1: loss = sum -> [], gradient [] = 1 arrives from its output") !=
        std::string::npos);
  // gradients of 6 elements or fewer show their values: d loss / d h = 2h = [4, 6, 8, 10, 12, 14]
  CHECK(s.find("input 0: gradient [2, 3] = [2, 3, 4, 5, 6, 7] -> h = add (step 3); first of 2 "
               "consumers' contributions") != std::string::npos);
  CHECK(s.find("input 1: gradient [2, 3] = [2, 3, 4, 5, 6, 7] -> h = add (step 3); accumulates: "
               "now from 2 of 2 consumers (gradients add)") != std::string::npos);
  CHECK(s.find("step 3: h = add -> [2, 3], gradient [2, 3] = [4, 6, 8, 10, 12, 14] arrives") !=
        std::string::npos);
  CHECK(s.find("input 1: gradient [3] = [14, 18, 22] -> leaf b.grad, summed over broadcast dims "
               "[0] ([2, 3] -> [3])") != std::string::npos);
  CHECK(s.find("input 0: gradient [2, 3] = [4, 6, 8, 10, 12, 14] -> leaf W.grad") !=
        std::string::npos);
  CHECK(count_of(s, "\nstep ") == 3);  // one line per op
  // the narration does not change the result: dloss/db = sum over rows of 2h
  CHECK(b.grad().to_vector() == std::vector<float>{14, 18, 22});
}

TEST_CASE("without a NarrateGuard backward prints nothing and guards nest") {
  std::ostringstream outer;
  std::ostringstream inner;
  Tensor x = ones({2}).requires_grad_();
  {
    autograd::NarrateGuard a(outer);
    {
      autograd::NarrateGuard b(inner);
      sum(x * 2.0F).backward();
    }
    CHECK(autograd::active_narrator() != nullptr);
  }
  CHECK(autograd::active_narrator() == nullptr);
  sum(x * 2.0F).backward();
  CHECK(outer.str().empty());
  CHECK_FALSE(inner.str().empty());
}
