// Autograd graph nodes and `record()`, the one call by which an op joins the graph.
//
// A Node is created per recorded op. It holds, for each input, an Edge to where that input's
// gradient goes (the producing Node, or the leaf tensor that accumulates it) and a closure that
// maps the output's gradient to one gradient per input. It never holds its own output (that would
// be a reference cycle); closures capture `out.detach()` when they need the result.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"

namespace minidl::autograd {

/// Maps the gradient of an op's output to one gradient per input (undefined = no gradient).
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

/// Where the gradient of one input goes.
struct Edge {
  std::shared_ptr<Node> producer;    // non-leaf input: the node that made it
  std::shared_ptr<TensorImpl> leaf;  // leaf input requiring grad: accumulates into .grad
  Shape shape;                       // the input's shape, to check the gradient against
  bool needs_grad() const { return producer != nullptr || leaf != nullptr; }
};

/// One recorded op in the graph.
struct Node {
  std::string_view name;     // the op's name (a string with static storage duration)
  std::vector<Edge> inputs;  // one per op input, in argument order
  Shape output_shape;        // the shape of the op's output (for graph drawing and narration)
  BackwardFn backward;       // empty once the graph is released
  bool released = false;     // set when backward ran without retain_graph
  std::string layer;         // the layer path at record time (only under anomaly detection)

  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  /// Releases the upstream graph iteratively, so long chains cannot overflow the stack.
  ~Node();
};

/// Records `out` as produced by op `name` from `inputs` when grad mode is on and any input
/// requires grad; otherwise returns `out` untouched. Returns `out`. `name` must outlive the graph
/// (a string literal, or a static string). Tensors the backward needs are captured as
/// SavedTensor (saved_tensor.h), so an in-place change after the forward is caught.
Tensor record(std::string_view name, const std::vector<Tensor>& inputs, Tensor out,
              BackwardFn backward);

/// A function told the name of every op that record() sees, in any thread, grad mode or not.
using RecordHook = void (*)(std::string_view op);
/// Installs `hook` (nullptr removes it). The test suite uses it to check that every recorded op
/// has a gradcheck case; a teaching aid could count ops. The hook must be thread-safe.
void set_record_hook(RecordHook hook);

/// Runs reverse-mode differentiation from `root` (see Tensor::backward).
void backward(const Tensor& root, const Tensor& gradient, bool retain_graph);

}  // namespace minidl::autograd
