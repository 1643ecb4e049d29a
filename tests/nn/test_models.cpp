// Whole models: LeNet-5 forward and backward on a [2, 1, 28, 28] batch, and small models whose
// loss falls on synthetic classification tasks (plain SGD written here, independent of optim/).
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"

using namespace minidl;

namespace {

// LeNet-5 for 28x28 inputs: 28 -conv5-> 24 -pool2-> 12 -conv5-> 8 -pool2-> 4, so 16*4*4 = 256.
nn::Sequential lenet5(Generator& generator) {
  nn::Sequential net;
  net.push_back(nn::Conv2d({.in = 1, .out = 6, .kernel = 5}, generator));
  net.push_back(nn::ReLU());
  net.push_back(nn::MaxPool2d({.kernel = 2}));
  net.push_back(nn::Conv2d({.in = 6, .out = 16, .kernel = 5}, generator));
  net.push_back(nn::ReLU());
  net.push_back(nn::MaxPool2d({.kernel = 2}));
  net.push_back(nn::Flatten());
  net.push_back(nn::Linear({.in = 256, .out = 120}, generator));
  net.push_back(nn::ReLU());
  net.push_back(nn::Linear({.in = 120, .out = 84}, generator));
  net.push_back(nn::ReLU());
  net.push_back(nn::Linear({.in = 84, .out = 10}, generator));
  return net;
}

// p -= lr * grad for every parameter, then clears the gradients.
void sgd_step(nn::Module& model, float lr) {
  NoGradGuard no_grad;
  for (const Tensor& parameter : model.parameters()) parameter.add_(parameter.grad(), -lr);
  model.zero_grad();
}

// Fraction of rows of `logits` whose argmax is the label.
double accuracy(const Tensor& logits, const Tensor& labels) {
  std::vector<float> predicted = argmax(logits, 1).to_vector();
  std::vector<float> wanted = labels.to_vector();
  int correct = 0;
  for (size_t i = 0; i < wanted.size(); ++i) correct += predicted[i] == wanted[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(wanted.size());
}

double norm_of(const Tensor& t) {
  double total = 0.0;
  for (float v : t.to_vector()) total += static_cast<double>(v) * v;
  return std::sqrt(total);
}

}  // namespace

TEST_CASE("LeNet-5 runs forward and backward on a [2, 1, 28, 28] batch") {
  Generator generator(2024);
  nn::Sequential net = lenet5(generator);
  CHECK(net.num_parameters() == 156 + 2416 + 30840 + 10164 + 850);
  Tensor images = randn({2, 1, 28, 28}, generator);
  Tensor logits = net(images);
  CHECK(logits.shape() == Shape{2, 10});
  Tensor loss = nn::cross_entropy(logits, from_vector({3, 7}));
  CHECK(std::isfinite(loss.item()));
  loss.backward();
  for (const auto& [name, parameter] : net.named_parameters()) {
    INFO(name);
    REQUIRE(parameter.grad().defined());
    CHECK(parameter.grad().shape() == parameter.shape());
    const double norm = norm_of(parameter.grad());
    CHECK(std::isfinite(norm));
    CHECK(norm > 0.0);
  }
}

TEST_CASE("an MLP's loss falls on three Gaussian blobs") {
  // 90 points: class k centred at (2 cos(2 pi k / 3), 2 sin(2 pi k / 3)), std 0.5.
  Generator generator(7);
  const int per_class = 30;
  std::vector<float> points;
  std::vector<float> labels;
  for (int k = 0; k < 3; ++k) {
    const double angle = 2.0 * 3.14159265358979 * k / 3.0;
    for (int i = 0; i < per_class; ++i) {
      points.push_back(static_cast<float>(2.0 * std::cos(angle)) + generator.normal(0.0F, 0.5F));
      points.push_back(static_cast<float>(2.0 * std::sin(angle)) + generator.normal(0.0F, 0.5F));
      labels.push_back(static_cast<float>(k));
    }
  }
  Tensor x = from_vector(points, {3 * per_class, 2});
  Tensor y = from_vector(labels);
  nn::Sequential model(nn::Linear({.in = 2, .out = 16}, generator), nn::ReLU(),
                       nn::Linear({.in = 16, .out = 3}, generator));
  nn::CrossEntropyLoss criterion;
  const float initial = criterion(model(x), y).item();
  float final_loss = initial;
  for (int step = 0; step < 100; ++step) {
    Tensor loss = criterion(model(x), y);
    final_loss = loss.item();
    loss.backward();
    sgd_step(model, 0.2F);
  }
  CHECK(final_loss < 0.3F * initial);
  CHECK(accuracy(model(x), y) > 0.9);
}

TEST_CASE("a small CNN with batch norm and dropout learns bar orientation") {
  // 8x8 images with one bright row (class 0) or one bright column (class 1), plus noise.
  Generator generator(11);
  const int count = 32;
  std::vector<float> pixels;
  std::vector<float> labels;
  for (int i = 0; i < count; ++i) {
    const int label = i % 2;
    const auto line = static_cast<int>(generator.below(8));
    for (int r = 0; r < 8; ++r) {
      for (int c = 0; c < 8; ++c) {
        const bool on = label == 0 ? r == line : c == line;
        pixels.push_back((on ? 1.0F : 0.0F) + generator.normal(0.0F, 0.1F));
      }
    }
    labels.push_back(static_cast<float>(label));
  }
  Tensor x = from_vector(pixels, {count, 1, 8, 8});
  Tensor y = from_vector(labels);
  nn::Sequential model(nn::Conv2d({.in = 1, .out = 4, .kernel = 3, .padding = 1}, generator),
                       nn::BatchNorm2d({.features = 4}), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
                       nn::Flatten(), nn::Dropout({.p = 0.1F}),
                       nn::Linear({.in = 64, .out = 2}, generator));
  const float initial = nn::cross_entropy(model(x), y).item();
  for (int step = 0; step < 40; ++step) {
    nn::cross_entropy(model(x), y).backward();
    sgd_step(model, 0.1F);
  }
  model.eval();
  const float final_loss = nn::cross_entropy(model(x), y).item();
  CHECK(final_loss < 0.5F * initial);
  CHECK(accuracy(model(x), y) > 0.9);
}
