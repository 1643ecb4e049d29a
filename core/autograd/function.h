// Custom autograd Functions: how code outside core adds a differentiable op with a hand-written
// backward, shaped like libtorch's torch::autograd::Function.
//
//   struct Softplus : minidl::autograd::Function<Softplus> {
//     static Tensor forward(Context& ctx, const Tensor& x, float beta) {
//       ctx.save_for_backward({x});
//       ctx.saved_data["beta"] = beta;
//       return log(1.0F + exp(beta * x)) / beta;  // runs in no-grad mode: builds no graph
//     }
//     static std::vector<Tensor> backward(Context& ctx, const Tensor& grad_output) {
//       const Tensor x = ctx.saved()[0];
//       const float beta = std::any_cast<float>(ctx.saved_data["beta"]);
//       return {grad_output * sigmoid(beta * x)};  // one gradient per tensor input
//     }
//   };
//   Tensor y = Softplus::apply(x, 2.0F);  // records a node named "Softplus"
//
// apply() passes every argument through to forward; the Tensor arguments are the op's inputs, in
// order, and backward returns one gradient per input (an undefined Tensor for "none"). The node is
// named after the struct, or after a `static constexpr std::string_view name = "..."` member when
// the struct has one. The op then works like a built-in one: gradcheck, anomaly detection, graph
// drawing and narration see it, and a tensor saved with save_for_backward that is modified in
// place before the backward is refused.
#pragma once

#include <any>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/tensor.h"

namespace minidl::autograd {

/// What a custom Function's forward hands to its backward.
class Context {
 public:
  /// Keeps tensors for the backward (with their versions: see SavedTensor).
  void save_for_backward(const std::vector<Tensor>& tensors);
  /// The saved tensors, in the order given; throws when one was modified in place since.
  std::vector<Tensor> saved() const;
  /// Whether tensor input `index` (counting Tensor arguments of apply from 0) needs a gradient;
  /// a backward can skip computing the others.
  bool needs_input_grad(size_t index) const;
  /// Non-tensor values for the backward, by name (like libtorch's ctx->saved_data).
  std::map<std::string, std::any> saved_data;

 private:
  template <class Derived>
  friend struct Function;
  std::string_view op_;
  std::vector<bool> needs_input_grad_;
  std::vector<SavedTensor> saved_;
};

namespace detail {

/// "Softplus" for a type `Softplus` (namespaces dropped), read from the compiler's signature.
template <class T>
constexpr std::string_view type_name() {
  std::string_view signature = __PRETTY_FUNCTION__;  // "... [with T = ns::Softplus; ...]" (GCC)
  const size_t start = signature.find("T = ") + 4;   // or "... [T = ns::Softplus]" (clang)
  std::string_view name = signature.substr(start, signature.find_first_of(";]", start) - start);
  const size_t last_colon = name.rfind("::", name.find('<'));
  return last_colon == std::string_view::npos ? name : name.substr(last_colon + 2);
}

template <class T>
concept HasName = requires {
  { T::name } -> std::convertible_to<std::string_view>;
};

inline void collect_tensor(std::vector<Tensor>& out, const Tensor& tensor) {
  out.push_back(tensor);
}
template <class T>
void collect_tensor(std::vector<Tensor>&, const T&) {}

}  // namespace detail

/// Base of a custom differentiable op: derive as `struct Op : Function<Op>` and give it static
/// `forward(Context&, args...) -> Tensor` and `backward(Context&, const Tensor&) ->
/// std::vector<Tensor>` (see the top of this file).
template <class Derived>
struct Function {
  /// The name its nodes carry: Derived::name when declared, else the struct's name.
  static constexpr std::string_view op_name() {
    if constexpr (detail::HasName<Derived>) {
      return Derived::name;
    } else {
      return detail::type_name<Derived>();
    }
  }

  /// Runs Derived::forward on `args` without recording, then records one node whose backward
  /// is Derived::backward. Returns forward's result.
  template <class... Args>
  static Tensor apply(Args&&... args) {
    std::vector<Tensor> inputs;
    (detail::collect_tensor(inputs, args), ...);
    auto ctx = std::make_shared<Context>();
    ctx->op_ = op_name();
    const bool recording = GradMode::is_enabled();
    for (const Tensor& input : inputs) {
      ctx->needs_input_grad_.push_back(recording && input.defined() && input.requires_grad());
    }
    Tensor out;
    {
      NoGradGuard no_grad;
      out = Derived::forward(*ctx, std::forward<Args>(args)...);
    }
    MINIDL_CHECK(out.defined(), "{}: forward returned an undefined tensor", op_name());
    // A handle of its own, so that recording never marks an input that forward returned as is.
    return record(op_name(), inputs, out.detach(), [ctx](const Tensor& grad_output) {
      return Derived::backward(*ctx, grad_output);
    });
  }
};

}  // namespace minidl::autograd
