// The training health report of the MNIST example, on a tiny model whose numbers are known.
#include <doctest/doctest.h>

#include "examples/mnist/health.h"
#include "minidl.h"

using namespace minidl;

namespace {

// Linear 2 -> 3 with fixed weights, then ReLU: unit 2 is dead for every positive input.
std::shared_ptr<nn::Sequential> tiny_model() {
  auto model = std::make_shared<nn::Sequential>(nn::Linear({.in = 2, .out = 3}), nn::ReLU());
  NoGradGuard no_grad;
  model->parameter("0.weight").copy_(from_vector({1, 0, 0, 1, -1, -1}, {3, 2}));
  model->parameter("0.bias").copy_(from_vector({0, 0, 0}));
  return model;
}

}  // namespace

TEST_CASE("health: gradient norm, weight norm and the ratio of the last update to the weight") {
  auto model = tiny_model();
  const std::vector<Tensor> before = examples::snapshot_parameters(*model);
  Tensor loss = sum((*model)(from_vector({1, 2}, {1, 2})));  // grads: weight rows [1,2],[1,2],0
  loss.backward();
  {
    NoGradGuard no_grad;  // one SGD step of lr 0.1
    for (const Tensor& p : model->parameters()) p.add_(p.grad(), -0.1F);
  }
  const auto report = examples::parameter_health(*model, before);
  REQUIRE(report.size() == 2);
  CHECK(report[0].name == "0.weight");
  CHECK(report[0].grad_norm == doctest::Approx(std::sqrt(10.0)));
  const double weight_norm = std::sqrt(0.81 + 0.04 + 0.01 + 0.64 + 1.0 + 1.0);
  CHECK(report[0].weight_norm == doctest::Approx(weight_norm).epsilon(1e-5));
  CHECK(report[0].update_ratio ==
        doctest::Approx(0.1 * std::sqrt(10.0) / weight_norm).epsilon(1e-5));
  CHECK(report[1].name == "0.bias");
  CHECK(report[1].grad_norm == doctest::Approx(std::sqrt(2.0)));
}

TEST_CASE("health: a ReLU unit that is zero for every image of the batch counts as dead") {
  auto model = tiny_model();
  const Tensor batch = from_vector({1, 2, 3, 0.5F, 0.1F, 0}, {3, 2});  // all positive
  const auto relus = examples::relu_health(*model, batch);
  REQUIRE(relus.size() == 1);
  CHECK(relus[0].name == "1");
  CHECK(relus[0].units == 3);
  CHECK(relus[0].dead_fraction == doctest::Approx(1.0 / 3.0));
  CHECK(model->is_training());  // the mode is restored
}

TEST_CASE("health: the CSV has one row per parameter and per ReLU") {
  const std::vector<examples::ParameterHealth> params = {{"0.weight", 1.5, 2.0, 0.01}};
  const std::vector<examples::ReluHealth> relus = {{"1", 3, 0.5}};
  CHECK(examples::health_csv_header() ==
        "epoch,layer,grad_norm,weight_norm,update_ratio,dead_relu_fraction\n");
  CHECK(examples::health_csv_rows(2, params, relus) == "2,0.weight,1.5,2,0.01,\n2,relu.1,,,,0.5\n");
}
