// L-BFGS: hand-computed iterations on a 3-D quadratic, the options that stop or shape the
// iteration, and the strong-Wolfe line search.
#include <doctest/doctest.h>

#include <cmath>
#include <type_traits>

#include "core/error.h"
#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "core/ops/matmul.h"
#include "core/ops/reduction.h"
#include "optim/lbfgs.h"
#include "optim/line_search.h"
#include "optim/sgd.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

// f(θ) = ½ θᵀAθ - bᵀθ with A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]], b = [1, 2, 3]; ∇f = Aθ - b.
// Its minimum is A⁻¹b = [2/9, 1/9, 13/9] (check: A·[2, 1, 13]/9 = [9, 18, 27]/9 = [1, 2, 3]).
struct Quadratic {
  Tensor a = from_vector({4, 1, 0, 1, 3, 1, 0, 1, 2}, {3, 3});
  Tensor b = from_vector({1, 2, 3}, {3, 1});
  Tensor theta = make_param({1.0F, -2.0F, 0.5F}).detach().reshape({3, 1});
  int64_t evaluations = 0;

  Quadratic() { theta.requires_grad_(); }

  /// The closure L-BFGS calls: zero_grad, loss, backward, return the loss.
  Closure closure() {
    return [this] {
      ++evaluations;
      theta.zero_grad();
      Tensor loss = sum(theta * matmul(a, theta)) * 0.5F - sum(b * theta);
      loss.backward();
      return loss;
    };
  }
};

void check_values(const Tensor& actual, const std::vector<double>& expected, double epsilon) {
  const std::vector<float> values = actual.to_vector();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    CHECK(values[i] == doctest::Approx(expected[i]).epsilon(epsilon));
  }
}

}  // namespace

TEST_CASE("LBFGS iterations match the two-loop recursion worked by hand") {
  // θ0 = [1, -2, 0.5], lr = 1, one iteration per step (max_iter = 1), no line search.
  // t=1: g0 = Aθ0 - b = [1, -6.5, -4];  d = -g0;  t = min(1, 1/‖g0‖₁) = 1/11.5 = 0.0869565217
  //      θ1 = θ0 + t d = [0.913043478, -1.43478261, 0.847826087]
  // t=2: g1 = [1.2173913, -4.54347826, -2.73913043]
  //      s = t d = [-0.0869565217, 0.565217391, 0.347826087];  y = g1 - g0 = [0.217391304, 1.95652174, 1.26086957]
  //      yᵀs = 1.52551985;  γ = yᵀs/yᵀy = 0.279142165;  ρ = 1/yᵀs = 0.65551425
  //      q = -g1;  α = ρ sᵀq = 2.37732342;  q -= α y;  r = γ q;  β = ρ yᵀr;  d = r + s (α - β)
  //      d = [-0.705350458, 1.40810901, 0.812927257];  t = lr = 1;  θ2 = θ1 + d = [0.20769302, -0.0266736, 1.66075334]
  // t=3: g2 = [-0.195901522, -0.211574441, 0.294833087];  s = d_prev;  y = g2 - g1 = [-1.41329283, 4.33190382, 3.03396352]
  //      yᵀs = 9.56305117;  γ = 0.319111716;  ρ = [0.65551425, 0.104569136]
  //      newest first: α2 = -0.008358964, α1 = 0.019871962;  d = [0.058250337, 0.066418498, -0.094045616]
  //      θ3 = [0.265943356, 0.039744896, 1.56670773]
  Quadratic problem;
  LBFGS optimizer({problem.theta}, {.lr = 1.0, .max_iter = 1});
  optimizer.step(problem.closure());
  check_values(problem.theta, {0.913043478, -1.43478261, 0.847826087}, 1e-6);
  optimizer.step(problem.closure());
  check_values(problem.theta, {0.20769302, -0.0266736, 1.66075334}, 1e-6);
  optimizer.step(problem.closure());
  check_values(problem.theta, {0.265943356, 0.039744896, 1.56670773}, 1e-5);
  CHECK(optimizer.state().steps.size() == 2);
  CHECK(optimizer.state().hessian_diag == doctest::Approx(0.319111716).epsilon(1e-5));
}

TEST_CASE("LBFGS history_size limits the pairs the two-loop recursion uses") {
  // As above, but history_size = 1: at t=3 the oldest pair is dropped and only (s2, y2) is used:
  //   ρ = 0.104569136;  α = -0.008358964;  d = [0.064537975, 0.067505514, -0.092668729]
  //   θ3 = [0.272230995, 0.040831913, 1.56808462]   (history 100 gave [0.265943356, ...])
  Quadratic problem;
  LBFGS optimizer({problem.theta}, {.lr = 1.0, .max_iter = 1, .history_size = 1});
  for (int step = 0; step < 3; ++step) optimizer.step(problem.closure());
  check_values(problem.theta, {0.272230995, 0.040831913, 1.56808462}, 1e-5);
  CHECK(optimizer.state().steps.size() == 1);
}

TEST_CASE("LBFGS with a full history drops the oldest pair and keeps the two newest") {
  // history_size = 2, four steps of the hand-worked path above (t = 1 from the second step on,
  // so each s is the previous direction). Pairs: (s1, y1) after step 2's evaluation,
  // (s2, y2) after step 3's, (s3, y3) after step 4's, which fills the history past 2:
  //   s2 = d2 = [-0.705350458, 1.40810901, 0.812927257]    y2 = [-1.41329283, 4.33190382, 3.03396352]
  //   s3 = d3 = [0.0582503366, 0.0664184981, -0.0940456156] y3 = g3 - g2 = [0.299419845, 0.163460215, -0.121672733]
  //   (g3 = Aθ3 - b = [0.103518322, -0.0481142261, 0.173160353])
  // t=4 uses (s2, y2), (s3, y3):  ρ = [0.104569136, 25.1630086];  γ = y3ᵀs3 / y3ᵀy3 = 0.302959038
  //      newest first: α3 = 0.338459314, α2 = 0.00282916936;  r = γ q
  //      oldest first: β2 = -0.00718859206, β3 = -0.372510837
  //      d4 = [-0.0265045321, 0.05543024, -0.101304649];  θ4 = θ3 + d4 = [0.239438824, 0.0951751363, 1.46540308]
  // Keeping (s1, s3) instead (dropping the newest stored pair) gives θ4 = [0.243358451, 0.0939707, ...];
  // not adding (s3, y3) to the full history gives [0.233877923, 0.0639781539, ...].
  Quadratic problem;
  LBFGS optimizer({problem.theta}, {.lr = 1.0, .max_iter = 1, .history_size = 2});
  for (int step = 0; step < 4; ++step) optimizer.step(problem.closure());
  check_values(problem.theta, {0.239438824, 0.0951751363, 1.46540308}, 1e-5);
  REQUIRE(optimizer.state().steps.size() == 2);
  const auto check_pair = [](const std::vector<float>& actual,
                             const std::vector<double>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-5));
    }
  };
  check_pair(optimizer.state().steps[0], {-0.705350458, 1.40810901, 0.812927257});
  check_pair(optimizer.state().grad_diffs[0], {-1.41329283, 4.33190382, 3.03396352});
  check_pair(optimizer.state().steps[1], {0.0582503366, 0.0664184981, -0.0940456156});
  check_pair(optimizer.state().grad_diffs[1], {0.299419845, 0.163460215, -0.121672733});
  CHECK(optimizer.state().hessian_diag == doctest::Approx(0.302959038).epsilon(1e-5));
}

TEST_CASE("LBFGS max_iter iterations in one step follow the single-iteration path") {
  // With max_iter = 3 (and max_eval above its default of 3 · 5/4 = 3) one step runs three
  // iterations and re-evaluates after the first two: the same points as three steps of
  // max_iter = 1.
  Quadratic single;
  LBFGS one_at_a_time({single.theta}, {.max_iter = 1});
  for (int step = 0; step < 3; ++step) one_at_a_time.step(single.closure());
  Quadratic batched;
  LBFGS three_per_step({batched.theta}, {.max_iter = 3, .max_eval = 10});
  three_per_step.step(batched.closure());
  CHECK(batched.theta.to_vector() == single.theta.to_vector());
  CHECK(batched.evaluations == 3);
  CHECK(three_per_step.state().iterations == 3);
  CHECK(three_per_step.step_count() == 1);
}

TEST_CASE("LBFGS stops without moving when the gradient is below tolerance_grad") {
  Quadratic problem;
  const Tensor minimum = from_vector({2.0F / 9.0F, 1.0F / 9.0F, 13.0F / 9.0F}, {3, 1});
  problem.theta.detach().copy_(minimum);
  LBFGS optimizer({problem.theta}, {.tolerance_grad = 1e-5});
  optimizer.step(problem.closure());
  CHECK(problem.evaluations == 1);
  CHECK(optimizer.state().iterations == 0);
  CHECK(problem.theta.to_vector() == minimum.to_vector());
}

TEST_CASE("LBFGS never calls the closure more than max_eval times per step") {
  Quadratic problem;
  LBFGS optimizer({problem.theta},
                  {.max_iter = 100, .max_eval = 4, .tolerance_grad = 0.0, .tolerance_change = 0.0});
  optimizer.step(problem.closure());
  CHECK(problem.evaluations == 4);
  Quadratic searching;
  LBFGS with_search({searching.theta}, {.max_iter = 100,
                                        .max_eval = 6,
                                        .tolerance_grad = 0.0,
                                        .tolerance_change = 0.0,
                                        .line_search = LineSearch::StrongWolfe});
  with_search.step(searching.closure());
  CHECK(searching.evaluations <= 6);  // the line search only gets what is left of max_eval
  CHECK(with_search.state().evaluations == searching.evaluations);
}

TEST_CASE("LBFGS stops when the loss changes less than tolerance_change") {
  // A huge tolerance_change ends the first step after its first iteration.
  Quadratic problem;
  LBFGS optimizer({problem.theta}, {.max_iter = 20, .tolerance_change = 1e3});
  optimizer.step(problem.closure());
  CHECK(optimizer.state().iterations == 1);
}

TEST_CASE("LBFGS with strong-Wolfe line search solves a quadratic in a few iterations") {
  Quadratic problem;
  LBFGS optimizer({problem.theta}, {.max_iter = 20, .line_search = LineSearch::StrongWolfe});
  optimizer.step(problem.closure());
  // float32 losses are noisy at the 1e-7 level, so the search cannot resolve the minimum much
  // closer than 1e-4
  check_values(problem.theta, {2.0 / 9.0, 1.0 / 9.0, 13.0 / 9.0}, 1e-4);
  CHECK(optimizer.state().iterations <= 10);
}

// Whether an optimizer can step from the gradients in .grad, without a closure.
template <class OptimizerType>
concept StepsWithoutClosure = requires(OptimizerType& optimizer) {
  optimizer.step();
};

TEST_CASE("LBFGS has only step(closure): a step without one does not compile") {
  static_assert(!StepsWithoutClosure<LBFGS>);
  static_assert(!std::is_base_of_v<FirstOrderOptimizer, LBFGS>);
  static_assert(StepsWithoutClosure<SGD>);
  Quadratic problem;
  LBFGS optimizer({problem.theta});
  Optimizer& any_optimizer = optimizer;
  any_optimizer.step(problem.closure());  // every optimizer steps with a closure
  CHECK(optimizer.step_count() == 1);
}

TEST_CASE("cubic_minimizer is exact on a quadratic line function") {
  // φ(t) = ½ c t² + s t with c = 4, s = -2 has its minimum at t = -s/c = 0.5.
  const auto point = [](double t) {
    return LinePoint{.t = t, .loss = 2.0 * t * t - 2.0 * t, .slope = 4.0 * t - 2.0};
  };
  CHECK(cubic_minimizer(point(0.0), point(2.0), 0.0, 2.0) == doctest::Approx(0.5));
  CHECK(cubic_minimizer(point(2.0), point(0.0), 0.0, 2.0) == doctest::Approx(0.5));
  CHECK(cubic_minimizer(point(0.0), point(2.0), 0.8, 2.0) == doctest::Approx(0.8));  // clamped
}

TEST_CASE("strong_wolfe returns a step meeting both Wolfe conditions") {
  // φ(t) = (t - 3)² + 0.1 t⁴ along d = 1 from t = 0: φ(0) = 9, φ'(0) = -6.
  const auto phi = [](double t) {
    return LinePoint{.t = t,
                     .loss = (t - 3.0) * (t - 3.0) + 0.1 * std::pow(t, 4),
                     .slope = 2.0 * (t - 3.0) + 0.4 * std::pow(t, 3)};
  };
  const LinePoint start = phi(0.0);
  for (double initial : {0.01, 1.0, 10.0}) {
    const LineSearchResult result = strong_wolfe(phi, start, initial, 1.0);
    INFO("initial step " << initial);
    CHECK(result.point.loss <= start.loss + 1e-4 * result.point.t * start.slope);
    CHECK(std::abs(result.point.slope) <= 0.9 * std::abs(start.slope));
    CHECK(result.evaluations <= 25);
  }
}
