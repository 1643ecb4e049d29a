// Readable names for the tensors of a graph, shared by graph drawing (dot.h) and backward
// narration (narrate.h): with `{{w1, "W1"}, {h, "h"}}` both say "W1" instead of "leaf", and
// "h = relu" for the op that produced the intermediate tensor h.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/autograd/node.h"
#include "core/tensor.h"

namespace minidl::autograd {

/// Pairs of (tensor, the name to show for it).
using TensorNames = std::vector<std::pair<Tensor, std::string>>;

/// The name given to the tensor behind `impl` in `names`, or `fallback` when it has none.
inline std::string name_of(const TensorImpl* impl, const TensorNames& names,
                           std::string_view fallback) {
  for (const auto& [tensor, name] : names) {
    if (tensor.impl().get() == impl) return name;
  }
  return std::string(fallback);
}

/// "h = mul" when the tensor `node` produced is named `h` in `names`, else the op's name "mul".
inline std::string label_of(const Node& node, const TensorNames& names) {
  for (const auto& [tensor, name] : names) {
    if (tensor.defined() && tensor.grad_fn().get() == &node)
      return name + " = " + std::string(node.name);
  }
  return std::string(node.name);
}

}  // namespace minidl::autograd
