// nn::Module: the base of every layer and model. It keeps parameters (trainable tensors),
// buffers (state such as BatchNorm's running statistics, saved but not trained), generators (the
// random state of stochastic layers such as Dropout) and submodules in registration order, so
// names, optimizer state and checkpoints are deterministic, and it walks them recursively with
// dotted names ("features.0.weight").
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/generator.h"
#include "core/tensor.h"

namespace minidl::nn {

/// A name and the tensor registered under it.
using NamedTensor = std::pair<std::string, Tensor>;
/// A name and the generator registered under it.
using NamedGenerator = std::pair<std::string, std::shared_ptr<Generator>>;

/// Base class of layers and models.
class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;

  /// The module's computation; the base version throws (containers of other shapes need not
  /// implement it).
  virtual Tensor forward(const Tensor& input);
  /// Same as forward(input); under anomaly detection it also names this layer in messages.
  Tensor operator()(const Tensor& input);

  /// One line naming the module and its options, e.g. `Linear(in=4, out=2)`; used by the tree
  /// print and in error messages. Containers return only their type name, e.g. `Sequential`.
  virtual std::string describe() const;

  /// Registers a trainable tensor (marked requires_grad) under `name`; returns it.
  Tensor register_parameter(std::string name, Tensor tensor);
  /// Registers a non-trainable state tensor (saved in checkpoints, ignored by optimizers).
  Tensor register_buffer(std::string name, Tensor tensor);
  /// Registers the random state of a stochastic layer under `name` (training checkpoints save
  /// and restore every registered generator); returns it.
  std::shared_ptr<Generator> register_generator(std::string name,
                                                std::shared_ptr<Generator> generator);
  /// Registers a child module under `name`; returns the same typed pointer.
  template <class M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    static_assert(std::is_base_of_v<Module, M>, "register_module needs an nn::Module");
    add_child(std::move(name), module);
    return module;
  }

  /// Every parameter of this module and its descendants, in registration order.
  std::vector<Tensor> parameters() const;
  /// Every parameter with its dotted path, e.g. `features.0.weight`.
  std::vector<NamedTensor> named_parameters() const;
  /// Every buffer of this module and its descendants.
  std::vector<Tensor> buffers() const;
  /// Every buffer with its dotted path, e.g. `bn1.running_mean`.
  std::vector<NamedTensor> named_buffers() const;
  /// Every generator with its dotted path, e.g. `classifier.1.generator`.
  std::vector<NamedGenerator> named_generators() const;
  /// The direct submodules with their names.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const {
    return children_;
  }

  /// The parameter at a dotted path; throws naming the path when there is none.
  Tensor parameter(std::string_view path) const;
  /// The parameter at a dotted path, or an undefined tensor.
  Tensor find_parameter(std::string_view path) const;
  /// The buffer at a dotted path; throws naming the path when there is none.
  Tensor buffer(std::string_view path) const;
  /// Rebinds the parameter at a dotted path to `tensor` (same shape; marked requires_grad).
  /// Built-in layers read their parameters from the registry, so they use the new tensor.
  void set_parameter(std::string_view path, const Tensor& tensor);

  /// Sets training mode on this module and every descendant (Dropout, BatchNorm act on it).
  void train(bool on = true);
  /// Same as train(false).
  void eval() { train(false); }
  /// True in training mode (the default).
  bool is_training() const { return training_; }

  /// Clears the gradient of every parameter.
  void zero_grad();
  /// Total number of parameter elements.
  int64_t num_parameters() const;

  /// The module tree, PyTorch style: `Sequential(\n  (0): Linear(in=4, out=2)\n)`.
  std::string to_string() const;

 protected:
  /// Throws minidl::Error "<describe()>: <formatted message>" unless `ok`; layers use it to
  /// name themselves and the offending shapes when an input does not fit.
  template <class... Args>
  void check(bool ok, fmt::format_string<Args...> format, Args&&... args) const {
    if (!ok) fail(fmt::format(format, std::forward<Args>(args)...));
  }
  /// Throws minidl::Error "<describe()>: <message>".
  [[noreturn]] void fail(const std::string& message) const;
  /// Runs `compute` and returns its result; a minidl::Error it throws is rethrown prefixed with
  /// describe(), so an op's (or a factory's) complaint says which layer made the call.
  template <class Compute>
  decltype(auto) with_provenance(Compute&& compute) const {
    try {
      return compute();
    } catch (const Error& error) {
      fail(error.what());
    }
  }

 private:
  enum class Kind { Parameter, Buffer };
  void check_new_name(const std::string& name) const;
  void add_child(std::string name, std::shared_ptr<Module> module);
  void collect(Kind kind, const std::string& prefix, std::vector<NamedTensor>& out) const;
  // The tensor of `kind` at a dotted path, or null.
  const NamedTensor* find_path(Kind kind, std::string_view path) const;
  const NamedTensor* find_own(Kind kind, std::string_view name) const;
  void print_tree(std::ostream& out, int indent) const;

  std::vector<NamedTensor> parameters_;
  std::vector<NamedTensor> buffers_;
  std::vector<NamedGenerator> generators_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

/// Prints the module tree (see Module::to_string).
std::ostream& operator<<(std::ostream& out, const Module& module);

}  // namespace minidl::nn
