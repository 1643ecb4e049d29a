// Custom autograd Functions used by the tests (test_function.cpp) and registered with gradcheck
// cases (gradcheck_cases.cpp): written the way a user outside core would write them.
#pragma once

#include <any>
#include <cmath>
#include <string_view>
#include <vector>

#include "minidl.h"

namespace minidl::testing {

/// softplus(x) = log(1 + e^(beta x)) / beta, with a non-tensor argument passed through.
struct Softplus : autograd::Function<Softplus> {
  static Tensor forward(autograd::Context& ctx, const Tensor& x, float beta) {
    ctx.save_for_backward({x});
    ctx.saved_data["beta"] = beta;
    return log(1.0F + exp(beta * x)) / beta;
  }
  static std::vector<Tensor> backward(autograd::Context& ctx, const Tensor& grad_output) {
    const Tensor x = ctx.saved()[0];
    const auto beta = std::any_cast<float>(ctx.saved_data.at("beta"));
    return {grad_output * sigmoid(beta * x)};  // d softplus / dx = sigmoid(beta x)
  }
};

/// a * b + c with three tensor inputs, computing only the gradients that are needed; its node is
/// named by the `name` member.
struct MulAdd : autograd::Function<MulAdd> {
  static constexpr std::string_view name = "mul_add";
  static Tensor forward(autograd::Context& ctx, const Tensor& a, const Tensor& b, const Tensor& c) {
    ctx.save_for_backward({a, b});
    return a * b + c;
  }
  static std::vector<Tensor> backward(autograd::Context& ctx, const Tensor& grad_output) {
    const std::vector<Tensor> saved = ctx.saved();
    std::vector<Tensor> grads(3);
    if (ctx.needs_input_grad(0)) grads[0] = grad_output * saved[1];
    if (ctx.needs_input_grad(1)) grads[1] = grad_output * saved[0];
    if (ctx.needs_input_grad(2)) grads[2] = grad_output;
    return grads;
  }
};

/// log(x) computed by a raw loop over the data, the way a kernel-writing user would.
struct RawLog : autograd::Function<RawLog> {
  static Tensor forward(autograd::Context& ctx, const Tensor& x) {
    ctx.save_for_backward({x});
    const Tensor input = x.contiguous();
    Tensor out = Tensor::empty(x.shape());
    for (int64_t i = 0; i < out.numel(); ++i) out.data()[i] = std::log(input.data()[i]);
    return out;
  }
  static std::vector<Tensor> backward(autograd::Context& ctx, const Tensor& grad_output) {
    return {grad_output / ctx.saved()[0]};  // d log x / dx = 1 / x
  }
};

/// Returns its input as is (apply must still give the output a node of its own).
struct PassThrough : autograd::Function<PassThrough> {
  static Tensor forward(autograd::Context&, const Tensor& x) { return x; }
  static std::vector<Tensor> backward(autograd::Context&, const Tensor& grad_output) {
    return {grad_output};
  }
};

/// A backward that returns two gradients for one input (refused by the engine; no case).
struct TooManyGradients : autograd::Function<TooManyGradients> {
  static Tensor forward(autograd::Context&, const Tensor& x) { return x * 2.0F; }
  static std::vector<Tensor> backward(autograd::Context&, const Tensor& grad_output) {
    return {grad_output, grad_output};
  }
};

/// The derivative of x^3 written wrongly as 2x^2: gradcheck must catch it. It has no gradcheck
/// case on purpose (it is in kDeliberatelyWrongOps).
struct WrongCube : autograd::Function<WrongCube> {
  static Tensor forward(autograd::Context& ctx, const Tensor& x) {
    ctx.save_for_backward({x});
    return x * x * x;
  }
  static std::vector<Tensor> backward(autograd::Context& ctx, const Tensor& grad_output) {
    const Tensor x = ctx.saved()[0];
    return {grad_output * 2.0F * x * x};  // should be 3 x^2
  }
};

}  // namespace minidl::testing
