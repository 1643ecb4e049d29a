// gradcheck itself, and every registered case (the registry's coverage of the ops the suite
// records is checked by test_gradcheck_coverage).
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

#include "core/kernels/blas.h"
#include "gradcheck_registry.h"
#include "recorded_ops.h"

using namespace minidl;
using minidl::testing::gradcheck_cases;

TEST_CASE("every gradcheck case exercises the op it names") {
  for (const auto& c : gradcheck_cases()) {
    if (testing::kCompositeOps.contains(c.op)) continue;
    testing::RecordCapture capture;
    c.fn(c.inputs);
    INFO("the case '" << c.op << " (" << c.description << ")' never records " << c.op);
    CHECK(capture.ops().contains(c.op));
  }
}

TEST_CASE("autograd matches finite differences for every differentiable op") {
  set_num_threads(1);
  for (const auto& c : gradcheck_cases()) {
    GradcheckResult result = gradcheck(c.fn, c.inputs, c.options);
    INFO(c.op << " (" << c.description << "): " << result.message);
    CHECK(result.ok);
  }
  set_num_threads(2);
}

namespace {

// A function of its inputs that first spreads input `which` over a large fixed random tensor of
// `shape` (broadcast add; standard deviation `scale`), so that gradcheck perturbs few elements
// while the op under test runs on sizes that split across threads.
std::function<Tensor(const std::vector<Tensor>&)> spread(
    size_t which, const Shape& shape, const std::function<Tensor(std::vector<Tensor>)>& op,
    float scale = 1.0F) {
  Generator generator(which + 100);
  Tensor noise = randn(shape, generator) * scale;
  return [=](const std::vector<Tensor>& inputs) {
    std::vector<Tensor> spread_inputs = inputs;
    spread_inputs[which] = add(inputs[which], noise);
    return op(spread_inputs);
  };
}

// A leaf of `shape` whose values are distinct multiples of 1/16 in [0, 4), scrambled.
Tensor distinct_leaf(const Shape& shape) {
  const int64_t count = numel_of(shape);
  std::vector<float> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    values[static_cast<size_t>(i)] = static_cast<float>((i * 37) % count) / 16.0F;
  }
  return from_vector(values, shape).requires_grad_();
}

// Runs fn's forward and backward once and returns how many parallel_for calls split.
int64_t splits_of(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                  const std::vector<Tensor>& inputs) {
  std::vector<Tensor> leaves;
  for (const Tensor& input : inputs) leaves.push_back(input.detach().requires_grad_());
  const int64_t before = parallel_split_count();
  Tensor out = fn(leaves);
  out.backward(ones(out.shape()));
  return parallel_split_count() - before;
}

}  // namespace

TEST_CASE("autograd matches finite differences at 2 threads where the work splits") {
  // Each case runs its op on sizes above the op's parallel grain; `splits` is how many of its
  // loops split at 2 threads in one forward and backward (asserted, so the check cannot pass
  // on code that never ran in parallel).
  struct Case {
    const char* what;
    std::function<Tensor(const std::vector<Tensor>&)> fn;
    std::vector<Tensor> inputs;
    int64_t splits;
  };
  const std::vector<Case> cases = {
      {"matmul, rows of C split ([200, 48] @ [48, 64]: forward, dA, dB)",
       spread(0, {200, 48},
              spread(1, {48, 64}, [](std::vector<Tensor> v) { return matmul(v[0], v[1]); })),
       {testing::leaf({1, 48}, 1, -0.1F, 0.1F), testing::leaf({48, 1}, 2, -0.1F, 0.1F)},
       3},
      {"matmul, columns of C split ([48, 64] @ [64, 200]: forward, dA, dB)",
       spread(0, {48, 64},
              spread(1, {64, 200}, [](std::vector<Tensor> v) { return matmul(v[0], v[1]); })),
       {testing::leaf({48, 1}, 3, -0.1F, 0.1F), testing::leaf({1, 200}, 4, -0.1F, 0.1F)},
       3},
      {"conv2d, samples split (10 samples of LeNet's second layer: forward, backward)",
       spread(0, {10, 6, 12, 12},
              spread(
                  1, {16, 6, 5, 5},
                  [](std::vector<Tensor> v) { return conv2d(v[0], v[1], v[2], {}); }, 0.1F)),
       {testing::leaf({1, 6, 12, 12}, 5), testing::leaf({1, 6, 5, 5}, 6, -0.2F, 0.2F),
        testing::leaf({16}, 7)},
       2},
      {"2x2 max pooling, planes split (1100 planes of 8x8: forward, backward)",
       // one random offset per plane: the windows keep the leaf's distinct values, 1/16 apart,
       // so no window's maximum changes hands within gradcheck's step
       spread(0, {1, 1100, 1, 1},
              [](std::vector<Tensor> v) { return max_pool2d(v[0], {.kernel = 2}); }),
       {distinct_leaf({8, 8})},
       2},
      {"elementwise loops split (40000 elements: relu, mul, add scalar; their backward)",
       spread(0, {40000}, [](std::vector<Tensor> v) { return relu(v[0]) * v[0] + 2.0F; }),
       {testing::leaf({1}, 11, 0.5F, 1.0F)},
       5},
  };
  set_num_threads(2);
  // The matmuls are ~1.2 MFLOP: split when sgemm's split size is lowered to 1 MFLOP.
  const double default_split = kernels::set_gemm_split_flops(1e6);
  for (const Case& c : cases) {
    INFO(std::string(c.what));
    CHECK(splits_of(c.fn, c.inputs) >= c.splits);
    GradcheckResult result = gradcheck(c.fn, c.inputs);
    INFO(result.message);
    CHECK(result.ok);
  }
  kernels::set_gemm_split_flops(default_split);
}

TEST_CASE("gradcheck reports the worst element of a wrong backward") {
  // An op whose backward forgets a factor: d(3x)/dx reported as 2.
  auto wrong = [](const std::vector<Tensor>& v) {
    Tensor out = v[0].detach() * 3.0F;
    return autograd::record("mul_scalar", {v[0]}, out,
                            [](const Tensor& g) { return std::vector<Tensor>{g * 2.0F}; });
  };
  GradcheckResult result = gradcheck(wrong, {testing::leaf({4}, 1)});
  CHECK_FALSE(result.ok);
  CHECK(result.worst_input == 0);
  CHECK(result.worst_element >= 0);
  CHECK(result.numeric / result.analytic == doctest::Approx(1.5).epsilon(0.01));
  CHECK(result.message.find("FAILED") != std::string::npos);
}

TEST_CASE("gradcheck leaves the caller's inputs and their gradients untouched") {
  Tensor x = testing::leaf({3}, 2);
  std::vector<float> before = x.to_vector();
  GradcheckResult result = gradcheck([](const std::vector<Tensor>& v) { return exp(v[0]); }, {x});
  CHECK(result.ok);
  CHECK(x.to_vector() == before);
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("gradcheck refuses a function with no input requiring grad") {
  CHECK_THROWS_WITH_AS(
      gradcheck([](const std::vector<Tensor>& v) { return v[0] * 2.0F; }, {ones({2})}),
      doctest::Contains("does not require grad"), Error);
}
