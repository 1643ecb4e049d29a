// Layers: output shapes and values on small hand-checked cases, and gradcheck through each
// layer with respect to its input and every parameter.
#include <doctest/doctest.h>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;
using minidl::testing::check_module_gradients;
using minidl::testing::distinct;
using minidl::testing::leaf;

namespace {

// Overwrites a parameter's values (outside autograd).
void assign(const Tensor& parameter, const std::vector<float>& values) {
  NoGradGuard no_grad;
  parameter.copy_(from_vector(values, parameter.shape()));
}

}  // namespace

TEST_CASE("Linear computes x W^T + b") {
  nn::Linear linear({.in = 2, .out = 3});
  assign(linear.weight(), {1, 2, 3, 4, 5, 6});
  assign(linear.bias(), {0.5F, -1, 2});
  Tensor y = linear(from_vector({1, -1, 2, 0}, {2, 2}));
  CHECK(y.shape() == Shape{2, 3});
  check_close(y, {-0.5F, -2, 1, 2.5F, 5, 12});
}

TEST_CASE("Linear maps any leading dims and works without bias") {
  nn::Linear linear({.in = 4, .out = 2, .bias = false});
  CHECK_FALSE(linear.bias().defined());
  CHECK(linear.parameters().size() == 1);
  Generator generator(3);
  CHECK(linear(randn({2, 5, 4}, generator)).shape() == Shape{2, 5, 2});
}

TEST_CASE("Linear draws its init from the default Generator, which manual_seed reproduces") {
  manual_seed(5);
  nn::Linear a({.in = 16, .out = 8});
  nn::Linear b({.in = 16, .out = 8});
  manual_seed(5);
  nn::Linear c({.in = 16, .out = 8});
  CHECK(a.weight().to_vector() != b.weight().to_vector());  // two layers differ
  CHECK(a.weight().to_vector() == c.weight().to_vector());  // one seed reproduces a run
  CHECK(a.bias().to_vector() == c.bias().to_vector());
  for (float w : a.weight().to_vector()) CHECK(std::fabs(w) <= 0.25F);  // 1 / sqrt(16)
  for (float w : a.bias().to_vector()) CHECK(std::fabs(w) <= 0.25F);
  Generator shared(9);
  nn::Linear first({.in = 16, .out = 8}, shared);
  nn::Linear second({.in = 16, .out = 8}, shared);
  CHECK(first.weight().to_vector() != second.weight().to_vector());
}

TEST_CASE("Linear gradients match finite differences") {
  nn::Linear linear({.in = 3, .out = 2});
  check_module_gradients(linear, leaf({4, 3}, 11));
}

TEST_CASE("Conv2d computes a cross-correlation with bias") {
  nn::Conv2d conv({.in = 1, .out = 1, .kernel = 2});
  assign(conv.weight(), {1, 2, 3, 4});
  assign(conv.bias(), {0.5F});
  Tensor y = conv(arange(1, 10).reshape({1, 1, 3, 3}));
  CHECK(y.shape() == Shape{1, 1, 2, 2});
  check_close(y, {37.5F, 47.5F, 67.5F, 77.5F});
}

TEST_CASE("Conv2d with stride 2 and padding 1 reads zeros outside the input") {
  nn::Conv2d conv({.in = 1, .out = 1, .kernel = 2, .stride = 2, .padding = 1, .bias = false});
  assign(conv.weight(), {1, 2, 3, 4});
  Tensor y = conv(arange(1, 10).reshape({1, 1, 3, 3}));
  CHECK(y.shape() == Shape{1, 1, 2, 2});
  check_close(y, {4, 18, 36, 77});
}

TEST_CASE("Conv2d output shapes follow the size formula") {
  Generator generator(2);
  Tensor x = randn({2, 4, 9, 8}, generator);
  CHECK(nn::Conv2d({.in = 4, .out = 6, .kernel = 3})(x).shape() == Shape{2, 6, 7, 6});
  CHECK(nn::Conv2d({.in = 4, .out = 6, .kernel = 3, .stride = 2, .padding = 1})(x).shape() ==
        Shape{2, 6, 5, 4});
  CHECK(nn::Conv2d({.in = 4, .out = 2, .kernel = {3, 1}, .dilation = 2, .groups = 2})(x).shape() ==
        Shape{2, 2, 5, 8});
  nn::Conv2d grouped({.in = 4, .out = 6, .kernel = 3, .groups = 2});
  CHECK(grouped.weight().shape() == Shape{6, 2, 3, 3});
}

TEST_CASE("Conv2d gradients match finite differences") {
  nn::Conv2d plain({.in = 2, .out = 3, .kernel = 3, .padding = 1});
  check_module_gradients(plain, leaf({2, 2, 4, 4}, 21));
  nn::Conv2d strided(
      {.in = 4, .out = 2, .kernel = {2, 3}, .stride = 2, .dilation = {1, 2}, .groups = 2});
  check_module_gradients(strided, leaf({1, 4, 5, 7}, 22));
}

TEST_CASE("MaxPool2d takes the maximum of each window") {
  nn::MaxPool2d pool({.kernel = 2});
  Tensor x = arange(16).reshape({1, 1, 4, 4}).requires_grad_();
  Tensor y = pool(x);
  CHECK(y.shape() == Shape{1, 1, 2, 2});
  check_close(y, {5, 7, 13, 15});
  y.sum().backward();
  std::vector<float> expected(16, 0.0F);
  for (int i : {5, 7, 13, 15}) expected[static_cast<size_t>(i)] = 1.0F;
  check_close(x.grad(), expected);
}

TEST_CASE("MaxPool2d padding never wins, even over negative inputs") {
  nn::MaxPool2d pool({.kernel = 3, .stride = 2, .padding = 1});
  Tensor y = pool(full({1, 2, 4, 4}, -5.0F));
  CHECK(y.shape() == Shape{1, 2, 2, 2});
  check_close(y, std::vector<float>(8, -5.0F));
}

TEST_CASE("MaxPool2d gradients match finite differences") {
  nn::MaxPool2d pool({.kernel = 3, .stride = 2, .padding = 1});
  check_module_gradients(pool, distinct({2, 2, 5, 5}, 31));
}

TEST_CASE("AvgPool2d averages each window") {
  nn::AvgPool2d pool({.kernel = 2});
  check_close(pool(arange(16).reshape({1, 1, 4, 4})), {2.5F, 4.5F, 10.5F, 12.5F});
}

TEST_CASE("AvgPool2d padding counts in the divisor unless count_include_pad is false") {
  Tensor x = arange(1, 10).reshape({1, 1, 3, 3});
  nn::AvgPool2d counted({.kernel = 3, .stride = 2, .padding = 1});
  check_close(counted(x), {12.0F / 9, 16.0F / 9, 24.0F / 9, 28.0F / 9});
  nn::AvgPool2d uncounted({.kernel = 3, .stride = 2, .padding = 1, .count_include_pad = false});
  check_close(uncounted(x), {3, 4, 6, 7});
}

TEST_CASE("AvgPool2d gradients match finite differences") {
  nn::AvgPool2d pool(
      {.kernel = {2, 3}, .stride = 1, .padding = {1, 1}, .count_include_pad = false});
  check_module_gradients(pool, leaf({2, 1, 4, 5}, 41));
}

TEST_CASE("activation layers apply their functions") {
  Tensor x = from_vector({-2, -0.5F, 0.5F, 2}, {2, 2});
  check_close(nn::ReLU()(x), {0, 0, 0.5F, 2});
  check_close(nn::LeakyReLU({.negative_slope = 0.1F})(x), {-0.2F, -0.05F, 0.5F, 2});
  check_close(nn::Sigmoid()(x), {0.11920292F, 0.37754067F, 0.62245933F, 0.88079708F});
  check_close(nn::Tanh()(x), {-0.96402758F, -0.46211716F, 0.46211716F, 0.96402758F});
  // rows [-2, -0.5] and [0.5, 2]: both differ by 1.5
  check_close(nn::Softmax()(x), {0.18242552F, 0.81757448F, 0.18242552F, 0.81757448F});
  check_close(nn::Softmax({.dim = 0})(x), {0.07585818F, 0.07585818F, 0.92414182F, 0.92414182F});
  check_close(nn::LogSoftmax()(x), {-1.70141328F, -0.20141328F, -1.70141328F, -0.20141328F});
}

TEST_CASE("activation layers describe themselves") {
  CHECK(nn::ReLU().describe() == "ReLU()");
  CHECK(nn::LeakyReLU().describe() == "LeakyReLU(negative_slope=0.01)");
  CHECK(nn::Sigmoid().describe() == "Sigmoid()");
  CHECK(nn::Tanh().describe() == "Tanh()");
  CHECK(nn::Softmax({.dim = 1}).describe() == "Softmax(dim=1)");
  CHECK(nn::LogSoftmax().describe() == "LogSoftmax(dim=-1)");
}

TEST_CASE("activation layer gradients match finite differences") {
  Tensor x = distinct({3, 4}, 51, 0.3F);  // no element near relu's kink at 0
  nn::ReLU relu_layer;
  nn::LeakyReLU leaky({.negative_slope = 0.2F});
  nn::Sigmoid sigmoid_layer;
  nn::Tanh tanh_layer;
  nn::Softmax softmax_layer({.dim = 0});
  nn::LogSoftmax log_softmax_layer;
  for (nn::Module* layer : std::vector<nn::Module*>{
           &relu_layer, &leaky, &sigmoid_layer, &tanh_layer, &softmax_layer, &log_softmax_layer}) {
    check_module_gradients(*layer, x);
  }
}

TEST_CASE("Flatten merges the requested dims") {
  Tensor x = zeros({2, 3, 4, 5});
  CHECK(nn::Flatten()(x).shape() == Shape{2, 60});
  CHECK(nn::Flatten({.start_dim = 2})(x).shape() == Shape{2, 3, 20});
  CHECK(nn::Flatten({.start_dim = 0, .end_dim = 1})(x).shape() == Shape{6, 4, 5});
  CHECK(nn::Flatten().describe() == "Flatten(start_dim=1, end_dim=-1)");
  nn::Flatten flatten;
  check_module_gradients(flatten, leaf({2, 2, 3}, 61).transpose(1, 2));
}

TEST_CASE("Sequential chains its modules in order") {
  nn::Sequential net(nn::Linear({.in = 3, .out = 4}), nn::Tanh(), nn::Linear({.in = 4, .out = 2}));
  Generator generator(4);
  Tensor x = randn({5, 3}, generator);
  Tensor manual = net.at<nn::Linear>(2)->forward(tanh(net.at<nn::Linear>(0)->forward(x)));
  check_close(net(x), manual.to_vector());
  CHECK(net.size() == 3);
  CHECK(net[1]->describe() == "Tanh()");
}

TEST_CASE("Sequential is built from a list, grows with push_back and checks indices") {
  nn::Sequential net({std::make_shared<nn::Linear>(nn::LinearOptions{.in = 2, .out = 2}),
                      std::make_shared<nn::ReLU>()});
  net.push_back(nn::Linear({.in = 2, .out = 1}));
  net.push_back(std::make_shared<nn::Sigmoid>());
  CHECK(net.size() == 4);
  CHECK(net(zeros({3, 2})).shape() == Shape{3, 1});
  CHECK(net.named_parameters()[2].first == "2.weight");
  CHECK_THROWS_WITH_AS(net[4], doctest::Contains("index 4 out of range for 4 modules"), Error);
  CHECK_THROWS_WITH_AS(net.at<nn::Linear>(1),
                       doctest::Contains("module (1) is a ReLU(), not the requested type"), Error);
  int visited = 0;
  for (const auto& module : net) visited += module != nullptr ? 1 : 0;
  CHECK(visited == 4);
}

TEST_CASE("Sequential gradients match finite differences") {
  nn::Sequential net(nn::Linear({.in = 3, .out = 4}), nn::Tanh(), nn::Linear({.in = 4, .out = 2}));
  check_module_gradients(net, leaf({2, 3}, 71));
}
