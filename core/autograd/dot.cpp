// Graphviz DOT output of an autograd graph (see dot.h).
#include "core/autograd/dot.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <unordered_map>

#include "core/autograd/node.h"
#include "core/error.h"

namespace minidl::autograd {

namespace {

// Escapes a label for a double-quoted DOT string.
std::string escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// One drawn vertex: an op (node != nullptr) or a leaf tensor (leaf != nullptr).
struct Vertex {
  const Node* node = nullptr;
  std::shared_ptr<TensorImpl> leaf;
};

// The breadth-first walk from the root: vertices in id order, consumer counts, and edges.
struct Walk {
  std::vector<Vertex> vertices;
  std::unordered_map<const void*, int> ids;
  std::unordered_map<const void*, int> consumers;
  std::vector<std::string> lines;  // constants and edges, emitted after the vertices

  int id_of(const void* key, Vertex vertex, std::deque<const Node*>& queue) {
    auto [it, inserted] = ids.emplace(key, static_cast<int>(vertices.size()));
    if (inserted) {
      vertices.push_back(vertex);
      if (vertex.node != nullptr) queue.push_back(vertex.node);
    }
    return it->second;
  }
};

std::string leaf_label(const std::shared_ptr<TensorImpl>& leaf, const DotOptions& options) {
  std::string label =
      fmt::format("{}\n{}", name_of(leaf.get(), options.names, "leaf"), leaf->shape);
  if (options.values) label += "\n" + value_summary(Tensor(leaf));
  if (options.grads && leaf->grad != nullptr)
    label += "\ngrad " + value_summary(Tensor(leaf->grad));
  return label;
}

}  // namespace

std::string value_summary(const Tensor& tensor) {
  const std::vector<float> values = tensor.contiguous().to_vector();
  if (values.empty()) return "empty";
  if (values.size() == 1) return fmt::format("value {:.4g}", values[0]);
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  double total = 0.0;
  for (float v : values) total += v;
  return fmt::format("min {:.3g} max {:.3g} mean {:.3g}", *low, *high,
                     total / static_cast<double>(values.size()));
}

std::string to_dot(const Tensor& root, const DotOptions& options) {
  MINIDL_CHECK(root.defined(), "to_dot: called on an undefined tensor");
  Walk walk;
  std::deque<const Node*> queue;
  if (root.grad_fn()) {
    walk.id_of(root.grad_fn().get(), {.node = root.grad_fn().get()}, queue);
  } else {
    walk.id_of(root.impl().get(), {.leaf = root.impl()}, queue);
  }
  int constants = 0;
  while (!queue.empty()) {
    const Node* node = queue.front();
    queue.pop_front();
    const int consumer = walk.ids.at(node);
    for (const Edge& edge : node->inputs) {
      std::string from;
      if (edge.producer) {
        from = fmt::format("n{}",
                           walk.id_of(edge.producer.get(), {.node = edge.producer.get()}, queue));
        ++walk.consumers[edge.producer.get()];
      } else if (edge.leaf) {
        from = fmt::format("n{}", walk.id_of(edge.leaf.get(), {.leaf = edge.leaf}, queue));
        ++walk.consumers[edge.leaf.get()];
      } else {
        from = fmt::format("c{}", constants++);
        walk.lines.push_back(
            fmt::format("  {} [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\", "
                        "fontcolor=\"#666666\", "
                        "label=\"{}\"];",
                        from, escape(fmt::format("constant\n{}", edge.shape))));
      }
      walk.lines.push_back(fmt::format("  {} -> n{};", from, consumer));
    }
  }

  std::string dot =
      "digraph autograd {\n  rankdir=TB;\n  fontname=\"Helvetica\";\n  node "
      "[fontname=\"Helvetica\", fontsize=11];\n";
  if (!options.title.empty()) {
    dot += fmt::format("  labelloc=t;\n  label=\"{}\";\n", escape(options.title));
  }
  for (size_t id = 0; id < walk.vertices.size(); ++id) {
    const Vertex& vertex = walk.vertices[id];
    const void* key = vertex.node != nullptr ? static_cast<const void*>(vertex.node)
                                             : static_cast<const void*>(vertex.leaf.get());
    std::string label;
    std::string style;
    if (vertex.node != nullptr) {
      std::string op = label_of(*vertex.node, options.names);
      if (id == 0 && op == vertex.node->name) op = "output = " + op;  // the unnamed root
      label = fmt::format("{}\n{}", op, vertex.node->output_shape);
      if (id == 0 && options.values) label += "\n" + value_summary(root);
      style = "shape=ellipse";
    } else {
      label = leaf_label(vertex.leaf, options);
      style = "shape=box, style=\"rounded,filled\"";
    }
    const int consumers = walk.consumers.count(key) != 0 ? walk.consumers.at(key) : 0;
    if (consumers > 1) {
      label += fmt::format("\n{} consumers: gradients add here", consumers);
      style += vertex.node != nullptr ? ", style=filled" : "";
      style += ", fillcolor=\"#ffd59e\", penwidth=2";
    } else if (vertex.node == nullptr) {
      style += ", fillcolor=\"#dde8ff\"";
    }
    dot += fmt::format("  n{} [{}, label=\"{}\"];\n", id, style, escape(label));
  }
  for (const std::string& line : walk.lines) dot += line + "\n";
  dot += "}\n";
  return dot;
}

}  // namespace minidl::autograd
