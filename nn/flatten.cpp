// nn::Flatten.
#include "nn/flatten.h"

#include <fmt/format.h>

#include "core/ops/view.h"

namespace minidl::nn {

Tensor Flatten::forward(const Tensor& input) {
  return with_provenance([&] { return flatten(input, options_.start_dim, options_.end_dim); });
}

std::string Flatten::describe() const {
  return fmt::format("Flatten(start_dim={}, end_dim={})", options_.start_dim, options_.end_dim);
}

}  // namespace minidl::nn
