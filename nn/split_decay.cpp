// Splitting a model's parameters into weight-decay groups (split_decay.h).
#include "nn/split_decay.h"

#include "nn/embedding.h"
#include "nn/layernorm.h"

namespace minidl::nn {

namespace {

// Adds `module`'s own parameters to `split`, then those of its children (parameters() order).
void split_into(const Module& module, DecaySplit& split) {
  // An embedding's rows and a LayerNorm's scales (2-D when it normalizes over two dims) are not
  // weight matrices, whatever their shape.
  const bool never_decays = dynamic_cast<const Embedding*>(&module) != nullptr ||
                            dynamic_cast<const LayerNorm*>(&module) != nullptr;
  for (const auto& [name, param] : module.named_parameters()) {
    if (name.find('.') != std::string::npos) continue;  // a child's: added with the child
    const bool is_matrix = param.dim() >= 2;
    (is_matrix && !never_decays ? split.decay : split.no_decay).push_back(param);
  }
  for (const auto& [name, child] : module.named_children()) split_into(*child, split);
}

}  // namespace

DecaySplit split_decay(const Module& module) {
  DecaySplit split;
  split_into(module, split);
  return split;
}

}  // namespace minidl::nn
