// The backward engine: an iterative post-order walk of the graph, then one reverse loop that
// calls each node's closure and adds the gradients it returns into its inputs.
#include <unordered_map>
#include <unordered_set>

#include "core/autograd/anomaly.h"
#include "core/autograd/narrate.h"
#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/ops/arithmetic.h"

namespace minidl::autograd {

namespace {

// Nodes reachable from `root`, every node after all nodes that consume its output.
std::vector<Node*> topological_order(Node* root) {
  std::vector<Node*> post_order;
  std::unordered_set<Node*> visited{root};
  std::vector<std::pair<Node*, size_t>> stack{{root, 0}};  // (node, next input to visit)
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->inputs.size()) {
      Node* producer = node->inputs[next++].producer.get();
      if (producer != nullptr && visited.insert(producer).second) stack.emplace_back(producer, 0);
    } else {
      post_order.push_back(node);
      stack.pop_back();
    }
  }
  return {post_order.rbegin(), post_order.rend()};
}

// True when `gradient` is a plain contiguous buffer that nothing but the caller's handle can
// reach (no other handle, no view sharing its storage), so a leaf may adopt it without a copy.
bool held_only_here(const Tensor& gradient) {
  const std::shared_ptr<TensorImpl>& impl = gradient.impl();
  return impl.use_count() == 1 && impl->storage.use_count() == 1 && impl->offset == 0 &&
         gradient.is_contiguous() && !impl->requires_grad && impl->grad_fn == nullptr;
}

// leaf.grad += gradient. The first contribution is adopted when nothing else can see it, else
// copied, so that later in-place sums never write into a tensor someone else holds.
void accumulate_into_leaf(TensorImpl& leaf, const Tensor& gradient) {
  if (leaf.grad == nullptr) {
    leaf.grad = held_only_here(gradient) ? gradient.impl() : gradient.clone().impl();
  } else {
    Tensor(leaf.grad).add_(gradient);
  }
}

}  // namespace

void backward(const Tensor& root, const Tensor& gradient, bool retain_graph) {
  MINIDL_CHECK(root.defined(), "backward: called on an undefined tensor");
  MINIDL_CHECK(root.requires_grad(),
               "backward: tensor of shape {} does not require grad (no input had requires_grad "
               "set, or it was computed under NoGradGuard)",
               root.shape());
  Tensor seed = gradient;
  if (!seed.defined()) {
    MINIDL_CHECK(root.numel() == 1,
                 "backward: output of shape {} is not a scalar; pass a gradient of that shape",
                 root.shape());
    seed = Tensor::empty(root.shape());
    seed.fill_(1.0F);
  }
  MINIDL_CHECK(seed.shape() == root.shape(),
               "backward: gradient of shape {} for output of shape {}", seed.shape(), root.shape());

  NoGradGuard no_grad;
  if (root.is_leaf()) {
    accumulate_into_leaf(*root.impl(), seed);
    return;
  }
  std::unordered_map<Node*, Tensor> pending{{root.grad_fn().get(), seed}};
  const std::vector<Node*> order = topological_order(root.grad_fn().get());
  NarrateGuard* narrator = active_narrator();  // null unless a NarrateGuard is alive
  if (narrator != nullptr) narrate_begin(*narrator, root, seed, order);
  for (Node* node : order) {
    auto found = pending.find(node);
    if (found == pending.end()) continue;  // no consumer sent a gradient here
    Tensor grad_output = std::move(found->second);
    pending.erase(found);
    MINIDL_CHECK(!node->released,
                 "backward: the graph through '{}' was already freed by an earlier backward; "
                 "pass retain_graph=true to the first backward to run it twice",
                 node->name);

    std::vector<Tensor> grads;
    {
      BackwardOpScope scope(node->name);  // names the op in a SavedTensor's version error
      grads = node->backward(grad_output);
    }
    MINIDL_CHECK(grads.size() == node->inputs.size(),
                 "backward of '{}': returned {} gradients for {} inputs", node->name, grads.size(),
                 node->inputs.size());
    for (size_t i = 0; i < grads.size(); ++i) {
      const Edge& edge = node->inputs[i];
      if (!edge.needs_grad() || !grads[i].defined()) continue;
      MINIDL_CHECK(
          grads[i].shape() == edge.shape,
          "backward of '{}': gradient for input {} has shape {} but the input has shape {}",
          node->name, i, grads[i].shape(), edge.shape);
      if (AnomalyMode::is_enabled()) {
        check_backward(node->name, i, edge.shape, grad_output.shape(), grads[i], node->layer);
      }
      if (edge.leaf) {
        accumulate_into_leaf(*edge.leaf, grads[i]);
      } else {
        Tensor& slot = pending[edge.producer.get()];
        slot = slot.defined() ? add(slot, grads[i]) : grads[i];  // several consumers add up
      }
    }
    if (narrator != nullptr) narrate_step(*narrator, *node, grad_output, grads);
    if (!retain_graph) {
      node->backward = nullptr;  // frees the tensors the closure saved
      node->released = true;
    }
  }
}

}  // namespace minidl::autograd
