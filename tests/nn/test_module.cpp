// nn::Module: registration, dotted names, buffers apart from parameters, modes, zero_grad,
// parameter counts and the printed tree.
#include <doctest/doctest.h>

#include <sstream>

#include "minidl.h"

using namespace minidl;

namespace {

// A model with its own parameter, a Sequential child and a BatchNorm child.
class TinyNet : public nn::Module {
 public:
  TinyNet() {
    scale_ = register_parameter("scale", ones({1}));
    features_ = register_module(
        "features", std::make_shared<nn::Sequential>(nn::Linear({.in = 2, .out = 3}), nn::ReLU(),
                                                     nn::Linear({.in = 3, .out = 4})));
    norm_ = register_module("norm",
                            std::make_shared<nn::BatchNorm1d>(nn::BatchNormOptions{.features = 4}));
  }
  Tensor forward(const Tensor& input) override {
    return mul(norm_->forward(features_->forward(input)), scale_);
  }
  std::string describe() const override { return "TinyNet"; }

  Tensor scale_;
  std::shared_ptr<nn::Sequential> features_;
  std::shared_ptr<nn::BatchNorm1d> norm_;
};

std::vector<std::string> names_of(const std::vector<nn::NamedTensor>& named) {
  std::vector<std::string> names;
  for (const auto& [name, tensor] : named) names.push_back(name);
  return names;
}

}  // namespace

TEST_CASE("named_parameters lists own parameters first, then children, with dotted names") {
  TinyNet net;
  CHECK(names_of(net.named_parameters()) ==
        std::vector<std::string>{"scale", "features.0.weight", "features.0.bias",
                                 "features.2.weight", "features.2.bias", "norm.weight",
                                 "norm.bias"});
  CHECK(net.parameters().size() == 7);
}

TEST_CASE("registered parameters require grad and are the tensors the layers use") {
  TinyNet net;
  for (const Tensor& parameter : net.parameters()) CHECK(parameter.requires_grad());
  auto linear = net.features_->at<nn::Linear>(0);
  CHECK(net.parameter("features.0.weight").data() == linear->weight().data());
  CHECK(net.parameter("scale").data() == net.scale_.data());
}

TEST_CASE("buffers are kept apart from parameters") {
  TinyNet net;
  CHECK(names_of(net.named_buffers()) ==
        std::vector<std::string>{"norm.running_mean", "norm.running_var"});
  for (const Tensor& buffer : net.buffers()) CHECK_FALSE(buffer.requires_grad());
  for (const auto& [name, parameter] : net.named_parameters()) {
    CHECK(name.find("running") == std::string::npos);
  }
  CHECK(net.buffer("norm.running_var").to_vector() == std::vector<float>{1, 1, 1, 1});
  CHECK_THROWS_WITH_AS(net.buffer("norm.weight"),
                       doctest::Contains("no buffer named 'norm.weight'"), Error);
}

TEST_CASE("named_generators finds the random state of every stochastic layer by path") {
  nn::Sequential net(nn::Linear({.in = 2, .out = 2}), nn::Dropout({.p = 0.5F}),
                     nn::Sequential(nn::ReLU(), nn::Dropout({.p = 0.1F})));
  const std::vector<nn::NamedGenerator> generators = net.named_generators();
  REQUIRE(generators.size() == 2);
  CHECK(generators[0].first == "1.generator");
  CHECK(generators[1].first == "2.1.generator");
  CHECK(generators[0].second.get() == &net.at<nn::Dropout>(1)->generator());
  CHECK(generators[0].second->state() != generators[1].second->state());  // seeded apart
  nn::Module module;
  module.register_generator("noise", std::make_shared<Generator>(3));
  CHECK_THROWS_WITH_AS(module.register_parameter("noise", zeros({1})),
                       doctest::Contains("'noise' is already registered"), Error);
  CHECK_THROWS_WITH_AS(module.register_generator("none", nullptr),
                       doctest::Contains("generator 'none' is null"), Error);
}

TEST_CASE("train and eval reach every descendant") {
  TinyNet net;
  CHECK(net.is_training());
  net.eval();
  CHECK_FALSE(net.is_training());
  CHECK_FALSE(net.features_->is_training());
  CHECK_FALSE((*net.features_)[1]->is_training());
  CHECK_FALSE(net.norm_->is_training());
  net.train();
  CHECK(net.norm_->is_training());
  CHECK((*net.features_)[2]->is_training());
}

TEST_CASE("zero_grad clears the gradient of every parameter") {
  TinyNet net;
  Generator generator(1);
  net(randn({5, 2}, generator)).sum().backward();
  for (const Tensor& parameter : net.parameters()) CHECK(parameter.grad().defined());
  net.zero_grad();
  for (const Tensor& parameter : net.parameters()) CHECK_FALSE(parameter.grad().defined());
}

TEST_CASE("num_parameters counts parameter elements, not buffers") {
  TinyNet net;
  // scale 1 + Linear(2, 3) 9 + Linear(3, 4) 16 + BatchNorm weight and bias 8
  CHECK(net.num_parameters() == 1 + 9 + 16 + 8);
}

TEST_CASE("a module prints as a tree with each layer's options") {
  TinyNet net;
  std::ostringstream out;
  out << net;
  CHECK(out.str() ==
        "TinyNet(\n"
        "  (features): Sequential(\n"
        "    (0): Linear(in=2, out=3)\n"
        "    (1): ReLU()\n"
        "    (2): Linear(in=3, out=4)\n"
        "  )\n"
        "  (norm): BatchNorm1d(features=4, eps=1e-05, momentum=0.1)\n"
        ")");
  CHECK(nn::Linear({.in = 2, .out = 3, .bias = false}).to_string() ==
        "Linear(in=2, out=3, bias=false)");
}

TEST_CASE("registration refuses empty, dotted and repeated names") {
  nn::Module module;
  module.register_parameter("w", zeros({2}));
  CHECK_THROWS_WITH_AS(module.register_parameter("w", zeros({2})),
                       doctest::Contains("'w' is already registered"), Error);
  CHECK_THROWS_WITH_AS(module.register_buffer("w", zeros({2})),
                       doctest::Contains("'w' is already registered"), Error);
  CHECK_THROWS_WITH_AS(module.register_parameter("a.b", zeros({2})),
                       doctest::Contains("contain no '.'"), Error);
  CHECK_THROWS_WITH_AS(module.register_module("", std::make_shared<nn::ReLU>()),
                       doctest::Contains("non-empty"), Error);
}

TEST_CASE("register_module returns the typed child") {
  nn::Module module;
  std::shared_ptr<nn::Linear> child = module.register_module(
      "fc", std::make_shared<nn::Linear>(nn::LinearOptions{.in = 3, .out = 2}));
  CHECK(child->options().out == 2);
  CHECK(module.named_children().size() == 1);
  CHECK(module.named_children()[0].first == "fc");
}

TEST_CASE("set_parameter rebinds a parameter by dotted path and checks its shape") {
  TinyNet net;
  Tensor replacement = full({3, 2}, 0.5F);
  net.set_parameter("features.0.weight", replacement);
  CHECK(net.features_->at<nn::Linear>(0)->weight().data() == replacement.data());
  CHECK(replacement.requires_grad());
  CHECK_THROWS_WITH_AS(
      net.set_parameter("features.0.weight", zeros({2, 3})),
      doctest::Contains("of shape [3, 2] cannot be replaced by a tensor of shape [2, 3]"), Error);
  CHECK_THROWS_WITH_AS(net.set_parameter("features.7.weight", zeros({1})),
                       doctest::Contains("no parameter named 'features.7.weight'"), Error);
}

TEST_CASE("a module without forward says so") {
  nn::Module module;
  CHECK_THROWS_WITH_AS(module(zeros({2})), doctest::Contains("Module: has no forward(Tensor)"),
                       Error);
}
