// nn::Module: registration, recursive traversal with dotted names, modes and the tree print.
#include "nn/module.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "core/autograd/anomaly.h"

namespace minidl::nn {

namespace {

// Names are path components: non-empty and without dots.
void check_name(std::string_view what, const std::string& name) {
  MINIDL_CHECK(!name.empty() && name.find('.') == std::string::npos,
               "Module::{}: name '{}' must be non-empty and contain no '.'", what, name);
}

}  // namespace

Tensor Module::forward(const Tensor& input) {
  fail(fmt::format("has no forward(Tensor) (called with an input of shape {})", input.shape()));
}

Tensor Module::operator()(const Tensor& input) {
  if (!autograd::AnomalyMode::is_enabled()) return forward(input);
  autograd::LayerScope scope(describe());
  return forward(input);
}

std::string Module::describe() const { return "Module"; }

void Module::fail(const std::string& message) const {
  throw Error(fmt::format("{}: {}", describe(), message));
}

void Module::check_new_name(const std::string& name) const {
  const auto same = [&name](const auto& entry) { return entry.first == name; };
  const bool taken = std::any_of(parameters_.begin(), parameters_.end(), same) ||
                     std::any_of(buffers_.begin(), buffers_.end(), same) ||
                     std::any_of(generators_.begin(), generators_.end(), same) ||
                     std::any_of(children_.begin(), children_.end(), same);
  MINIDL_CHECK(!taken, "{}: the name '{}' is already registered", describe(), name);
}

Tensor Module::register_parameter(std::string name, Tensor tensor) {
  check_name("register_parameter", name);
  check_new_name(name);
  MINIDL_CHECK(tensor.defined() && tensor.is_leaf(),
               "{}: parameter '{}' must be a defined leaf tensor", describe(), name);
  tensor.requires_grad_();
  parameters_.emplace_back(std::move(name), tensor);
  return tensor;
}

Tensor Module::register_buffer(std::string name, Tensor tensor) {
  check_name("register_buffer", name);
  check_new_name(name);
  MINIDL_CHECK(tensor.defined(), "{}: buffer '{}' must be a defined tensor", describe(), name);
  buffers_.emplace_back(std::move(name), tensor);
  return tensor;
}

std::shared_ptr<Generator> Module::register_generator(std::string name,
                                                      std::shared_ptr<Generator> generator) {
  check_name("register_generator", name);
  check_new_name(name);
  MINIDL_CHECK(generator != nullptr, "{}: generator '{}' is null", describe(), name);
  generators_.emplace_back(std::move(name), generator);
  return generator;
}

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
  check_name("register_module", name);
  check_new_name(name);
  MINIDL_CHECK(module != nullptr, "{}: submodule '{}' is null", describe(), name);
  MINIDL_CHECK(module.get() != this, "{}: cannot register a module as its own child", describe());
  children_.emplace_back(std::move(name), std::move(module));
}

void Module::collect(Kind kind, const std::string& prefix, std::vector<NamedTensor>& out) const {
  for (const auto& [name, tensor] : kind == Kind::Parameter ? parameters_ : buffers_) {
    out.emplace_back(prefix + name, tensor);
  }
  for (const auto& [name, child] : children_) child->collect(kind, prefix + name + ".", out);
}

std::vector<NamedTensor> Module::named_parameters() const {
  std::vector<NamedTensor> out;
  collect(Kind::Parameter, "", out);
  return out;
}

std::vector<NamedTensor> Module::named_buffers() const {
  std::vector<NamedTensor> out;
  collect(Kind::Buffer, "", out);
  return out;
}

std::vector<NamedGenerator> Module::named_generators() const {
  std::vector<NamedGenerator> out;
  for (const auto& [name, generator] : generators_) out.emplace_back(name, generator);
  for (const auto& [name, child] : children_) {
    for (auto& [path, generator] : child->named_generators()) {
      out.emplace_back(name + "." + path, std::move(generator));
    }
  }
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, tensor] : named_parameters()) out.push_back(tensor);
  return out;
}

std::vector<Tensor> Module::buffers() const {
  std::vector<Tensor> out;
  for (auto& [name, tensor] : named_buffers()) out.push_back(tensor);
  return out;
}

const NamedTensor* Module::find_own(Kind kind, std::string_view name) const {
  const auto& entries = kind == Kind::Parameter ? parameters_ : buffers_;
  auto found = std::find_if(entries.begin(), entries.end(),
                            [name](const NamedTensor& entry) { return entry.first == name; });
  return found == entries.end() ? nullptr : &*found;
}

const NamedTensor* Module::find_path(Kind kind, std::string_view path) const {
  const size_t dot = path.find('.');
  if (dot == std::string_view::npos) return find_own(kind, path);
  const std::string_view head = path.substr(0, dot);
  for (const auto& [name, child] : children_) {
    if (name == head) return child->find_path(kind, path.substr(dot + 1));
  }
  return nullptr;
}

Tensor Module::find_parameter(std::string_view path) const {
  const NamedTensor* entry = find_path(Kind::Parameter, path);
  return entry != nullptr ? entry->second : Tensor();
}

Tensor Module::parameter(std::string_view path) const {
  const NamedTensor* entry = find_path(Kind::Parameter, path);
  MINIDL_CHECK(entry != nullptr, "{}: no parameter named '{}'", describe(), path);
  return entry->second;
}

Tensor Module::buffer(std::string_view path) const {
  const NamedTensor* entry = find_path(Kind::Buffer, path);
  MINIDL_CHECK(entry != nullptr, "{}: no buffer named '{}'", describe(), path);
  return entry->second;
}

void Module::set_parameter(std::string_view path, const Tensor& tensor) {
  // The entry belongs to this (non-const) module tree, so writing through it is allowed.
  auto* entry = const_cast<NamedTensor*>(find_path(Kind::Parameter, path));
  MINIDL_CHECK(entry != nullptr, "{}: no parameter named '{}'", describe(), path);
  MINIDL_CHECK(tensor.defined() && tensor.is_leaf() && tensor.shape() == entry->second.shape(),
               "{}: parameter '{}' of shape {} cannot be replaced by a tensor of shape {}",
               describe(), path, entry->second.shape(),
               tensor.defined() ? tensor.shape() : Shape{});
  tensor.requires_grad_();
  entry->second = tensor;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (const Tensor& parameter : parameters()) parameter.zero_grad();
}

int64_t Module::num_parameters() const {
  int64_t total = 0;
  for (const Tensor& parameter : parameters()) total += parameter.numel();
  return total;
}

void Module::print_tree(std::ostream& out, int indent) const {
  out << describe();
  if (children_.empty()) return;
  const std::string pad(static_cast<size_t>(indent), ' ');
  out << "(\n";
  for (const auto& [name, child] : children_) {
    out << pad << "  (" << name << "): ";
    child->print_tree(out, indent + 2);
    out << "\n";
  }
  out << pad << ")";
}

std::string Module::to_string() const {
  std::ostringstream out;
  print_tree(out, 0);
  return out.str();
}

std::ostream& operator<<(std::ostream& out, const Module& module) {
  return out << module.to_string();
}

}  // namespace minidl::nn
