// Readable names for the tensors of a graph, shared by graph drawing (dot.h) and backward
// narration (narrate.h): with `{{w1, "W1"}, {b1, "b1"}}` both say "W1" instead of "leaf".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

}  // namespace minidl::autograd
