// Anomaly detection: off by default; under DetectAnomalyGuard the first NaN or Inf of a forward
// or backward pass throws naming the op, the pass, the shapes and the layer.
#include <doctest/doctest.h>

#include <string>

#include "minidl.h"

using namespace minidl;

namespace {

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("anomaly detection is off by default and NaN flows through silently") {
  CHECK_FALSE(autograd::AnomalyMode::is_enabled());
  const Tensor x = from_vector({-1.0F}).requires_grad_();
  const Tensor y = log(x);
  CHECK(std::isnan(y.item()));
}

TEST_CASE("the guard turns detection on for its scope only, and nests") {
  {
    autograd::DetectAnomalyGuard outer;
    CHECK(autograd::AnomalyMode::is_enabled());
    {
      autograd::DetectAnomalyGuard inner;
      CHECK(autograd::AnomalyMode::is_enabled());
    }
    CHECK(autograd::AnomalyMode::is_enabled());
  }
  CHECK_FALSE(autograd::AnomalyMode::is_enabled());
}

TEST_CASE("a NaN made in the forward pass names the op, the pass and the shapes") {
  autograd::DetectAnomalyGuard guard;
  const Tensor x = from_vector({1.0F, -1.0F, 2.0F}).requires_grad_();
  const std::string message = message_of([&] { (void)log(x); });
  CHECK(contains(message, "anomaly detected: forward of 'log'"));
  CHECK(contains(message, "nan at element 1"));
  CHECK(contains(message, "inputs [[3]], output [3]"));
  CHECK(contains(message, "(all inputs were finite)"));
}

TEST_CASE("forward checks also run without a graph (NoGradGuard, inputs without grad)") {
  autograd::DetectAnomalyGuard guard;
  NoGradGuard no_grad;
  CHECK(contains(message_of([] { (void)log(from_vector({-1.0F})); }), "forward of 'log'"));
}

TEST_CASE("an Inf inside a Sequential names the layer path") {
  nn::Sequential model(nn::ReLU(), nn::Linear({.in = 2, .out = 2}));
  {
    NoGradGuard no_grad;
    model.parameter("1.weight").fill_(1e30F);
  }
  autograd::DetectAnomalyGuard guard;
  const std::string message = message_of([&] { (void)model(full({1, 2}, 1e30F)); });
  CHECK(contains(message, "anomaly detected: forward of '"));
  CHECK(contains(message, "in layer Sequential / (1) Linear(in=2, out=2)"));
  CHECK(contains(message, "inf"));
}

TEST_CASE("an Inf made in the backward pass names the op, the input and the layer") {
  nn::Sequential model(nn::Linear({.in = 2, .out = 2}), nn::ReLU());
  const Tensor x = zeros({3}).requires_grad_();
  autograd::DetectAnomalyGuard guard;
  const Tensor loss = sum(sqrt(x));  // sqrt(0) = 0 is fine; its derivative 1/(2·0) is not
  const std::string message = message_of([&] { loss.backward(); });
  CHECK(contains(message, "anomaly detected: backward of 'sqrt'"));
  CHECK(contains(message, "gradient for input 0 (shape [3])"));
  CHECK(contains(message, "inf"));
}

TEST_CASE("without the guard the same backward finishes and leaves Inf in the gradient") {
  const Tensor x = zeros({3}).requires_grad_();
  sum(sqrt(x)).backward();
  CHECK(std::isinf(x.grad().to_vector()[0]));
}

TEST_CASE("finite computations pass untouched under the guard") {
  autograd::DetectAnomalyGuard guard;
  Generator gen(0);
  nn::Sequential model(nn::Linear({.in = 3, .out = 4}, gen), nn::ReLU(),
                       nn::Linear({.in = 4, .out = 2}, gen));
  const Tensor loss = nn::cross_entropy(model(randn({5, 3}, gen)), from_vector({0, 1, 1, 0, 1}));
  loss.backward();
  CHECK(model.parameter("0.weight").grad().defined());
  CHECK(autograd::current_layer_path().empty());  // every scope was popped
}
