// Draws the graph behind a tensor as Graphviz DOT text, for seeing what backward() will walk.
//
//   std::ofstream("graph.dot") << autograd::to_dot(loss, {.values = true, .names = {{w, "W"}}});
//   dot -Tsvg graph.dot -o graph.svg
//
// One box per leaf (name, shape, optional value and gradient summaries), one ellipse per op
// (name and output shape), a grey box per input that needs no gradient (a constant), and edges
// in data-flow order (input -> op). An op or leaf whose output feeds several consumers is drawn
// orange with "gradients add here": backward sums one contribution per consumer there.
#pragma once

#include <string>

#include "core/autograd/names.h"
#include "core/tensor.h"

namespace minidl::autograd {

/// What to_dot shows beside names and shapes.
struct DotOptions {
  bool values = false;  ///< min / max / mean of each leaf's value and of the root's value
  bool grads = false;   ///< min / max / mean of each leaf's accumulated .grad, when defined
  TensorNames names{};  ///< names for leaves and the root (others show as "leaf" / the op name)
  std::string title{};  ///< a caption for the whole graph (none when empty)
};

/// The graph that produced `root` as a DOT digraph; node ids n0, n1, ... follow a breadth-first
/// walk from the root, so the text is the same for the same graph.
std::string to_dot(const Tensor& root, const DotOptions& options = {});

/// "min -1.2 max 3.4 mean 0.5" (or "value 0.5" for one element) of a tensor's values.
std::string value_summary(const Tensor& tensor);

}  // namespace minidl::autograd
