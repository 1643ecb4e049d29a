// AdamW and AMSGrad: Adam under another name and weight-decay mode (adamw.h, amsgrad.h).
#include "optim/adamw.h"

#include "optim/amsgrad.h"

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

AMSGrad::AMSGrad(std::vector<Tensor> params, AMSGradOptions options)
    : Adam("AMSGrad", std::move(params),
           AdamOptions{.lr = options.lr,
                       .beta1 = options.beta1,
                       .beta2 = options.beta2,
                       .eps = options.eps,
                       .weight_decay = options.weight_decay,
                       .amsgrad = true},
           WeightDecay::Coupled) {}

}  // namespace minidl::optim
