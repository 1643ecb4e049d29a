// Splitting a model's parameters into weight-decay groups (split_decay.h).
#include "nn/split_decay.h"

#include "nn/conv.h"
#include "nn/linear.h"

namespace minidl::nn {

namespace {

// Adds `module`'s own parameters to `split`, then those of its children (parameters() order).
void split_into(const Module& module, DecaySplit& split) {
  const bool has_decaying_weight = dynamic_cast<const Linear*>(&module) != nullptr ||
                                   dynamic_cast<const Conv2d*>(&module) != nullptr;
  for (const auto& [name, param] : module.named_parameters()) {
    if (name.find('.') != std::string::npos) continue;  // a child's: added with the child
    (has_decaying_weight && name == "weight" ? split.decay : split.no_decay).push_back(param);
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
