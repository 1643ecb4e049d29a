// Backprop narration (see narrate.h).
#include "core/autograd/narrate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <ostream>

#include "core/autograd/node.h"

namespace minidl::autograd {

namespace {

thread_local NarrateGuard* active = nullptr;

// Tensors of at most this many elements are narrated with their values.
constexpr int64_t kShownValues = 6;

// "[2, 3]" for a large tensor, "[2] = [0.5, -1.25]" or "[] = 1" for a small one.
std::string shape_and_values(const Tensor& tensor) {
  const std::string shape = fmt::format("{}", tensor.shape());
  if (tensor.numel() > kShownValues) return shape;
  const std::vector<float> values = tensor.to_vector();
  if (tensor.dim() == 0) return fmt::format("{} = {:.4g}", shape, values.front());
  return fmt::format("{} = [{:.4g}]", shape, fmt::join(values, ", "));
}

}  // namespace

NarrateGuard::NarrateGuard(std::ostream& out, TensorNames names)
    : out_(&out), names_(std::move(names)), previous_(active) {
  active = this;
}

NarrateGuard::~NarrateGuard() { active = previous_; }

NarrateGuard* active_narrator() { return active; }

std::vector<int64_t> broadcast_dims(const Shape& input, const Shape& output) {
  if (input == output || input.size() > output.size()) return {};
  const size_t lead = output.size() - input.size();
  std::vector<int64_t> dims;
  for (size_t d = 0; d < output.size(); ++d) {
    if (d < lead) {
      if (output[d] != 1) dims.push_back(static_cast<int64_t>(d));
      continue;
    }
    const int64_t in = input[d - lead];
    if (in == output[d]) continue;
    if (in != 1) return {};  // not a broadcast (e.g. matmul, a reduction)
    dims.push_back(static_cast<int64_t>(d));
  }
  return dims;
}

void narrate_begin(NarrateGuard& n, const Tensor& root, const Tensor& seed,
                   const std::vector<Node*>& order) {
  n.step_of_.clear();
  n.expected_.clear();
  n.received_.clear();
  std::vector<std::string> names;
  for (size_t i = 0; i < order.size(); ++i) {
    n.step_of_[order[i]] = static_cast<int>(i + 1);
    names.push_back(fmt::format("{} {}", i + 1, label_of(*order[i], n.names_)));
    for (const Edge& edge : order[i]->inputs) {
      if (edge.producer) ++n.expected_[edge.producer.get()];
      if (edge.leaf) ++n.expected_[edge.leaf.get()];
    }
  }
  *n.out_ << fmt::format(
      "backward from {} -> {}, seed gradient {}\n"
      "order (every op after all ops that use its output): {}\n",
      label_of(*order.front(), n.names_), shape_and_values(root), shape_and_values(seed),
      fmt::join(names, ", "));
}

void narrate_step(NarrateGuard& n, const Node& node, const Tensor& grad_output,
                  const std::vector<Tensor>& grads) {
  std::ostream& out = *n.out_;
  out << fmt::format("step {}: {} -> {}, gradient {} arrives from its output\n", n.step_of_[&node],
                     label_of(node, n.names_), node.output_shape, shape_and_values(grad_output));
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Edge& edge = node.inputs[i];
    if (!edge.needs_grad()) {
      out << fmt::format("  input {} {}: needs no gradient\n", i, edge.shape);
      continue;
    }
    if (!grads[i].defined()) {
      out << fmt::format("  input {} {}: the op sends no gradient\n", i, edge.shape);
      continue;
    }
    const void* target = edge.leaf ? static_cast<const void*>(edge.leaf.get())
                                   : static_cast<const void*>(edge.producer.get());
    std::string line =
        edge.leaf
            ? fmt::format("  input {}: gradient {} -> leaf {}.grad", i, shape_and_values(grads[i]),
                          name_of(edge.leaf.get(), n.names_, "(unnamed)"))
            : fmt::format("  input {}: gradient {} -> {} (step {})", i, shape_and_values(grads[i]),
                          label_of(*edge.producer, n.names_), n.step_of_[edge.producer.get()]);
    const std::vector<int64_t> dims = broadcast_dims(edge.shape, node.output_shape);
    if (!dims.empty()) {
      line += fmt::format(", summed over broadcast dims {} ({} -> {})", dims, node.output_shape,
                          edge.shape);
    }
    const int received = ++n.received_[target];
    const int expected = n.expected_[target];
    if (expected > 1) {
      line += received == 1
                  ? fmt::format("; first of {} consumers' contributions", expected)
                  : fmt::format("; accumulates: now from {} of {} consumers (gradients add)",
                                received, expected);
    }
    out << line << '\n';
  }
}

}  // namespace minidl::autograd
