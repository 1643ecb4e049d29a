// AdamW: Adam under another name and weight-decay mode (adamw.h).
#include "optim/adamw.h"

namespace minidl::optim {

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions options)
    : Adam("AdamW", std::move(params),
           AdamOptions{.lr = options.lr,
                       .beta1 = options.beta1,
                       .beta2 = options.beta2,
                       .eps = options.eps,
                       .weight_decay = options.weight_decay,
                       .amsgrad = options.amsgrad},
           WeightDecay::Decoupled) {}

}  // namespace minidl::optim
