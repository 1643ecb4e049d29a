// record(): how an op joins the graph; and the iterative release of a graph's nodes.
#include "core/autograd/node.h"

#include <algorithm>
#include <atomic>

#include "core/autograd/anomaly.h"
#include "core/error.h"
#include "core/grad_mode.h"

namespace minidl::autograd {

namespace {

std::atomic<RecordHook> record_hook{nullptr};

// Nodes and closures whose destruction is deferred so that freeing a chain of 100,000 nodes
// runs as a loop here rather than as 100,000 nested destructor calls.
struct ReleaseQueue {
  std::vector<std::shared_ptr<Node>> nodes;
  std::vector<BackwardFn> closures;
  bool draining = false;
};
thread_local ReleaseQueue release_queue;

}  // namespace

Node::~Node() {
  ReleaseQueue& queue = release_queue;
  for (Edge& edge : inputs) {
    if (edge.producer) queue.nodes.push_back(std::move(edge.producer));
  }
  if (backward) queue.closures.push_back(std::move(backward));
  if (queue.draining) return;
  queue.draining = true;
  while (!queue.nodes.empty() || !queue.closures.empty()) {
    if (!queue.closures.empty()) {
      BackwardFn closure = std::move(queue.closures.back());
      queue.closures.pop_back();
    } else {
      std::shared_ptr<Node> node = std::move(queue.nodes.back());
      queue.nodes.pop_back();
    }
  }
  queue.draining = false;
}

Tensor record(std::string_view name, const std::vector<Tensor>& inputs, Tensor out,
              BackwardFn backward) {
  if (RecordHook hook = record_hook.load(std::memory_order_relaxed)) hook(name);
  const bool anomaly = AnomalyMode::is_enabled();
  if (anomaly) check_forward(name, inputs, out, current_layer_path());
  if (!GradMode::is_enabled()) return out;
  bool any = std::any_of(inputs.begin(), inputs.end(),
                         [](const Tensor& input) { return input.requires_grad(); });
  if (!any) return out;

  auto node = std::make_shared<Node>();
  node->name = name;
  node->output_shape = out.shape();
  node->backward = std::move(backward);
  if (anomaly) node->layer = current_layer_path();
  node->inputs.reserve(inputs.size());
  for (const Tensor& input : inputs) {
    Edge edge;
    edge.shape = input.shape();
    if (input.requires_grad()) {
      if (input.grad_fn()) {
        edge.producer = input.grad_fn();
      } else {
        edge.leaf = input.impl();
      }
    }
    node->inputs.push_back(std::move(edge));
  }
  out.impl()->requires_grad = true;
  out.impl()->grad_fn = std::move(node);
  return out;
}

void set_record_hook(RecordHook hook) { record_hook.store(hook); }

}  // namespace minidl::autograd
