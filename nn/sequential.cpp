// nn::Sequential.
#include "nn/sequential.h"

#include <fmt/format.h>

#include <optional>

#include "core/autograd/anomaly.h"

namespace minidl::nn {

Sequential::Sequential(std::initializer_list<std::shared_ptr<Module>> modules)
    : Sequential(std::vector<std::shared_ptr<Module>>(modules)) {}

Sequential::Sequential(const std::vector<std::shared_ptr<Module>>& modules) {
  for (const auto& module : modules) push_back(module);
}

void Sequential::push_back(std::shared_ptr<Module> module) {
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

const std::shared_ptr<Module>& Sequential::operator[](size_t index) const {
  check(index < modules_.size(), "index {} out of range for {} modules", index, modules_.size());
  return modules_[index];
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (size_t i = 0; i < modules_.size(); ++i) {
    try {
      std::optional<autograd::LayerScope> scope;  // names the layer in anomaly messages
      if (autograd::AnomalyMode::is_enabled()) {
        scope.emplace(fmt::format("({}) {}", i, modules_[i]->describe()));
      }
      x = modules_[i]->forward(x);
    } catch (const Error& error) {
      fail(fmt::format("layer ({}) {}", i, error.what()));
    }
  }
  return x;
}

}  // namespace minidl::nn
