// The teaching trace: per-step CSV rows of one element's gradient, state, step and value.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.h"
#include "optim/adam.h"
#include "optim/lbfgs.h"
#include "optim/sgd.h"
#include "optim/trace.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

/// Splits CSV text into rows of cells.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

/// CHECKs a row of numbers against expected values (relative 1e-6).
void check_row(const std::vector<std::string>& row, const std::vector<double>& expected) {
  REQUIRE(row.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("column " << i);
    CHECK(std::stod(row[i]) == doctest::Approx(expected[i]).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("a momentum trace shows gradient, velocity, effective lr, update and value") {
  // Heavy-ball, η = 0.1, μ = 0.9, element 1 of the three-step fixture (see test_sgd.cpp):
  //   t=1: g = -1,  v = -1,   θ: -2 → -1.9     update 0.1,   effective lr = -0.1/-1 = 0.1
  //   t=2: g = 2,   v = 1.1,  θ: -1.9 → -2.01  update -0.11, effective lr = 0.11/2 = 0.055
  //   t=3: g = 0.5, v = 1.49, θ: -2.01 → -2.159 update -0.149, effective lr = 0.298
  std::ostringstream csv;
  const Tensor param = make_param(kStart);
  SGD optimizer({param}, {.lr = 0.1, .momentum = 0.9});
  optimizer.add_observer(
      std::make_shared<Trace>(csv, TraceOptions{.param_index = 0, .element = 1}));
  run_fixed_gradients(optimizer, param, kGradients);
  const auto rows = parse_csv(csv.str());
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == std::vector<std::string>{"step", "lr", "grad", "velocity", "effective_lr",
                                            "update", "param"});
  check_row(rows[1], {1, 0.1, -1, -1, 0.1, 0.1, -1.9});
  check_row(rows[2], {2, 0.1, 2, 1.1, 0.055, -0.11, -2.01});
  check_row(rows[3], {3, 0.1, 0.5, 1.49, 0.298, -0.149, -2.159});
}

TEST_CASE("an Adam trace written to a file shows both moments") {
  // Adam, η = 0.1, element 0 of the fixture (see test_adam_family.cpp):
  //   t=1: g = 0.5,   m = 0.05, v = 0.00025,    θ: 1 → 0.9,         effective lr = 0.1/0.5 = 0.2
  //   t=2: g = -0.25, m = 0.02, v = 0.00031225, θ: 0.9 → 0.873366299: the momentum still pushes
  //        θ down against the new gradient, so the effective lr is negative: -0.026633701/0.25
  const std::string path =
      (std::filesystem::temp_directory_path() / "minidl_optim_test_adam_trace.csv").string();
  {
    const Tensor param = make_param(kStart);
    Adam optimizer({param}, {.lr = 0.1});
    optimizer.add_observer(std::make_shared<Trace>(path));
    run_fixed_gradients(optimizer, param, {kGradients[0], kGradients[1]});
  }
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  std::filesystem::remove(path);
  const auto rows = parse_csv(text.str());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"step", "lr", "grad", "exp_avg", "exp_avg_sq",
                                            "effective_lr", "update", "param"});
  check_row(rows[1], {1, 0.1, 0.5, 0.05, 0.00025, 0.2, -0.1, 0.9});
  check_row(rows[2], {2, 0.1, -0.25, 0.02, 0.00031225, -0.106534804, -0.026633701, 0.873366299});
}

TEST_CASE("a trace writes no row for a step where its parameter had no gradient") {
  std::ostringstream csv;
  const Tensor traced = make_param({1.0F});
  const Tensor other = make_param({1.0F});
  SGD optimizer({traced, other}, {.lr = 0.1});
  optimizer.add_observer(std::make_shared<Trace>(csv));
  other.set_grad(from_vector({1.0F}));
  optimizer.step();
  CHECK(csv.str().empty());
  traced.set_grad(from_vector({0.0F}));
  optimizer.step();
  const auto rows = parse_csv(csv.str());
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == "2");
  CHECK(rows[1][3].empty());  // effective lr is undefined for a zero gradient
}

TEST_CASE("an L-BFGS trace reports the direction and step size") {
  std::ostringstream csv;
  const Tensor param = make_param({3.0F});
  LBFGS optimizer({param}, {.max_iter = 1});
  optimizer.add_observer(std::make_shared<Trace>(csv));
  optimizer.step([&] {
    optimizer.zero_grad();
    param.set_grad(from_vector({2.0F * param.item()}));  // f = θ², ∇f = 2θ
    return from_vector({param.item() * param.item()});
  });
  // g = 6, d = -6, t = min(1, 1/6) = 1/6: θ = 3 - 1 = 2, effective lr = 1/6
  const auto rows = parse_csv(csv.str());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"step", "lr", "grad", "direction", "step_size",
                                            "hessian_diag", "history_length", "effective_lr",
                                            "update", "param"});
  check_row(rows[1], {1, 1, 6, -6, 1.0 / 6.0, 1, 0, 1.0 / 6.0, -1, 2});
}

TEST_CASE("add_observer refuses a trace of a parameter or element that does not exist") {
  std::ostringstream csv;
  const Tensor param = make_param(kStart);
  SGD optimizer({param});
  CHECK_THROWS_WITH_AS(
      optimizer.add_observer(std::make_shared<Trace>(csv, TraceOptions{.param_index = 1})),
      "SGD: trace asks for parameter 1, but there are 1 parameters", Error);
  CHECK_THROWS_WITH_AS(
      optimizer.add_observer(std::make_shared<Trace>(csv, TraceOptions{.element = 2})),
      "SGD: trace asks for element 2 of parameter 0, which has 2 elements", Error);
}

namespace {

/// Writes "before <step count>" and "after <step count>" for every call it gets.
struct CallLog final : StepObserver {
  std::vector<std::string> calls;
  void before_step(const Optimizer& optimizer) override {
    calls.push_back("before " + std::to_string(optimizer.step_count()));
  }
  void after_step(const Optimizer& optimizer) override {
    calls.push_back("after " + std::to_string(optimizer.step_count()));
  }
};

}  // namespace

TEST_CASE("every observer is called before and after each step, until it is removed") {
  const Tensor param = make_param({1.0F});
  SGD optimizer({param}, {.lr = 0.1});
  auto first = std::make_shared<CallLog>();
  auto second = std::make_shared<CallLog>();
  optimizer.add_observer(first);
  optimizer.add_observer(second);
  param.set_grad(from_vector({1.0F}));
  optimizer.step();
  optimizer.remove_observer(*first);
  optimizer.step();
  CHECK(first->calls == std::vector<std::string>{"before 0", "after 1"});
  CHECK(second->calls == std::vector<std::string>{"before 0", "after 1", "before 1", "after 2"});
}
