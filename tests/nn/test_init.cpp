// nn::init: the empirical mean and standard deviation of large initialized tensors against each
// scheme's formula, the uniform bounds, gains, fans and reproducibility.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "minidl.h"

using namespace minidl;
namespace init = minidl::nn::init;

namespace {

struct Moments {
  double mean;
  double std;
  double max_abs;
};

Moments moments_of(const Tensor& t) {
  std::vector<float> values = t.to_vector();
  double total = 0.0;
  double max_abs = 0.0;
  for (float v : values) {
    total += v;
    max_abs = std::max(max_abs, static_cast<double>(std::fabs(v)));
  }
  const double mean = total / static_cast<double>(values.size());
  double squares = 0.0;
  for (float v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / static_cast<double>(values.size())), max_abs};
}

// The mean is within 5 standard errors of `mean` and the std within 2% of `std`.
void check_moments(const Tensor& t, double mean, double std) {
  const Moments m = moments_of(t);
  const double standard_error = std / std::sqrt(static_cast<double>(t.numel()));
  INFO("mean " << m.mean << " (want " << mean << "), std " << m.std << " (want " << std << ")");
  CHECK(std::fabs(m.mean - mean) < 5.0 * standard_error);
  CHECK(m.std == doctest::Approx(std).epsilon(0.02));
}

// A weight [out = 400, in = 300]: fan_in 300, fan_out 400; 120,000 draws.
Tensor big_weight() { return zeros({400, 300}).requires_grad_(); }

}  // namespace

TEST_CASE("compute_fans follows the [out, in, kernel...] convention") {
  init::Fans linear = init::compute_fans(zeros({400, 300}));
  CHECK(linear.in == 300);
  CHECK(linear.out == 400);
  init::Fans conv = init::compute_fans(zeros({64, 16, 3, 3}));
  CHECK(conv.in == 16 * 9);
  CHECK(conv.out == 64 * 9);
  CHECK_THROWS_WITH_AS(init::compute_fans(zeros({5})),
                       doctest::Contains("need a tensor of at least 2 dims, got shape [5]"), Error);
}

TEST_CASE("calculate_gain gives the recommended gains") {
  CHECK(init::calculate_gain(init::Nonlinearity::Linear) == 1.0);
  CHECK(init::calculate_gain(init::Nonlinearity::Sigmoid) == 1.0);
  CHECK(init::calculate_gain(init::Nonlinearity::Tanh) == doctest::Approx(5.0 / 3.0));
  CHECK(init::calculate_gain(init::Nonlinearity::ReLU) == doctest::Approx(std::sqrt(2.0)));
  CHECK(init::calculate_gain(init::Nonlinearity::LeakyReLU, 0.2) ==
        doctest::Approx(std::sqrt(2.0 / 1.04)));
  CHECK(init::calculate_gain(init::Nonlinearity::SELU) == 0.75);
}

TEST_CASE("zeros_ and constant_ fill every element, parameters included") {
  Tensor w = ones({3, 4}).requires_grad_();
  init::constant_(w, 2.5F);
  CHECK(w.to_vector() == std::vector<float>(12, 2.5F));
  init::zeros_(w);
  CHECK(w.to_vector() == std::vector<float>(12, 0.0F));
  CHECK(w.requires_grad());
}

TEST_CASE("uniform_ and normal_ have the requested moments") {
  Generator generator(1);
  Tensor w = big_weight();
  init::uniform_(w, -1.0F, 3.0F, generator);
  check_moments(w, 1.0, 4.0 / std::sqrt(12.0));
  CHECK(moments_of(w).max_abs <= 3.0);
  init::normal_(w, 0.5F, 2.0F, generator);
  check_moments(w, 0.5, 2.0);
}

TEST_CASE("lecun_uniform_ and lecun_normal_: zero mean, std 1 / sqrt(fan_in)") {
  Generator generator(2);
  Tensor w = big_weight();
  const double std = 1.0 / std::sqrt(300.0);
  init::lecun_uniform_(w, generator);
  check_moments(w, 0.0, std);
  CHECK(moments_of(w).max_abs <= std::sqrt(3.0) * std + 1e-6);
  init::lecun_normal_(w, generator);
  check_moments(w, 0.0, std);
}

TEST_CASE("xavier_uniform_ and xavier_normal_: std gain * sqrt(2 / (fan_in + fan_out))") {
  Generator generator(3);
  Tensor w = big_weight();
  init::xavier_uniform_(w, 1.0, generator);
  const double std = std::sqrt(2.0 / 700.0);
  check_moments(w, 0.0, std);
  CHECK(moments_of(w).max_abs <= std::sqrt(6.0 / 700.0) + 1e-6);
  init::xavier_normal_(w, 2.0, generator);
  check_moments(w, 0.0, 2.0 * std);
}

TEST_CASE("kaiming_uniform_ and kaiming_normal_: std gain / sqrt(fan)") {
  Generator generator(4);
  Tensor w = big_weight();
  init::kaiming_uniform_(w, {}, generator);  // ReLU gain sqrt(2), fan_in 300
  check_moments(w, 0.0, std::sqrt(2.0 / 300.0));
  CHECK(moments_of(w).max_abs <= std::sqrt(6.0 / 300.0) + 1e-6);
  init::kaiming_normal_(w, {}, generator);
  check_moments(w, 0.0, std::sqrt(2.0 / 300.0));
  init::kaiming_normal_(
      w, {.mode = init::FanMode::FanOut, .nonlinearity = init::Nonlinearity::Tanh}, generator);
  check_moments(w, 0.0, (5.0 / 3.0) / std::sqrt(400.0));
  init::kaiming_uniform_(w, {.negative_slope = 0.2, .nonlinearity = init::Nonlinearity::LeakyReLU},
                         generator);
  check_moments(w, 0.0, std::sqrt(2.0 / 1.04) / std::sqrt(300.0));
}

TEST_CASE("kaiming_normal_ on a conv weight uses fan_in = in * kernel area") {
  Generator generator(5);
  Tensor w = zeros({64, 32, 5, 5});  // fan_in 800, 51,200 draws
  init::kaiming_normal_(w, {.nonlinearity = init::Nonlinearity::ReLU}, generator);
  check_moments(w, 0.0, std::sqrt(2.0 / 800.0));
}

TEST_CASE("the same generator seed gives the same initialization") {
  Tensor a = zeros({8, 8});
  Tensor b = zeros({8, 8});
  Generator first(77);
  Generator second(77);
  init::xavier_uniform_(a, 1.0, first);
  init::xavier_uniform_(b, 1.0, second);
  CHECK(a.to_vector() == b.to_vector());
}

TEST_CASE("the layer default gives std 1 / sqrt(3 fan_in) within 1 / sqrt(fan_in)") {
  manual_seed(8);
  nn::Linear linear({.in = 300, .out = 400});
  const double bound = 1.0 / std::sqrt(300.0);
  check_moments(linear.weight(), 0.0, bound / std::sqrt(3.0));
  CHECK(moments_of(linear.weight()).max_abs <= bound + 1e-6);
  CHECK(moments_of(linear.bias()).max_abs <= bound + 1e-6);
  nn::Conv2d conv({.in = 6, .out = 16, .kernel = 5});
  CHECK(moments_of(conv.weight()).max_abs <= 1.0 / std::sqrt(150.0) + 1e-6);
}
