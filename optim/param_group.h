// OptimizerParamGroup: parameters that share one set of options within an optimizer (libtorch's
// OptimizerParamGroup), e.g. no weight decay on biases and normalization weights, or a smaller
// learning rate for a pretrained part:
//
//   const optim::AdamWOptions defaults{.lr = 1e-3, .weight_decay = 0.05};
//   optim::AdamWOptions no_decay = defaults;
//   no_decay.weight_decay = 0.0;
//   const nn::DecaySplit split = nn::split_decay(model);
//   optim::AdamW optimizer({{.params = split.decay}, {.params = split.no_decay, .options = no_decay}},
//                          defaults);
//
// A group without options takes the optimizer's defaults; a group with options takes all of them
// (options are whole structs, so start from the defaults and change what differs, as above).
#pragma once

#include <optional>
#include <vector>

#include "core/tensor.h"

namespace minidl::optim {

/// Parameters with their own options, or with the optimizer's defaults when `options` is empty.
template <class Options>
struct OptimizerParamGroup {
  std::vector<Tensor> params{};      ///< the group's parameters
  std::optional<Options> options{};  ///< its options; empty: the optimizer's defaults
};

}  // namespace minidl::optim
