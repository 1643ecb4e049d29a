// nn::Sequential: a list of modules applied in order; child i is registered under the name "i".
#pragma once

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "nn/module.h"

namespace minidl::nn {

/// What Sequential accepts as an element: a module (moved in) or a shared_ptr to one.
template <class T>
concept SequentialElement = (std::derived_from<std::remove_cvref_t<T>, Module> &&
                             !std::is_lvalue_reference_v<T>) ||
                            std::convertible_to<T, std::shared_ptr<Module>>;

/// Chains modules: forward(x) = m_{n-1}(...m_1(m_0(x))). A minidl::Error raised by a child is
/// rethrown naming its index: `Sequential: layer (5) Linear(in=400, out=120): ...`.
class Sequential : public Module {
 public:
  /// An empty chain; add modules with push_back.
  Sequential() = default;
  /// A chain of already shared modules: `Sequential({std::make_shared<ReLU>(), ...})`.
  Sequential(std::initializer_list<std::shared_ptr<Module>> modules);
  /// A chain of the modules in a vector, in order.
  explicit Sequential(const std::vector<std::shared_ptr<Module>>& modules);
  /// A chain of modules given by value or by shared_ptr:
  /// `Sequential(Linear({.in = 2, .out = 8}), ReLU(), Linear({.in = 8, .out = 1}))`.
  template <SequentialElement... Ms>
  requires(sizeof...(Ms) > 0) explicit Sequential(Ms&&... modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }

  /// Appends a shared module (registered as child "size()").
  void push_back(std::shared_ptr<Module> module);
  /// Appends a module moved into a new shared_ptr.
  template <class M>
  requires std::derived_from<std::remove_cvref_t<M>, Module> &&
      (!std::is_lvalue_reference_v<M>)void push_back(M&& module) {
    push_back(std::shared_ptr<Module>(std::make_shared<std::remove_cvref_t<M>>(std::move(module))));
  }

  /// Applies every module in order.
  Tensor forward(const Tensor& input) override;
  std::string describe() const override { return "Sequential"; }

  /// Number of modules.
  size_t size() const { return modules_.size(); }
  /// Module i (bounds-checked).
  const std::shared_ptr<Module>& operator[](size_t index) const;
  /// Module i as type M; throws when it is another type.
  template <class M>
  std::shared_ptr<M> at(size_t index) const {
    auto typed = std::dynamic_pointer_cast<M>((*this)[index]);
    check(typed != nullptr, "module ({}) is a {}, not the requested type", index,
          (*this)[index]->describe());
    return typed;
  }
  /// Iterates over the modules (shared_ptrs), in order.
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }

 private:
  std::vector<std::shared_ptr<Module>> modules_;
};

}  // namespace minidl::nn
