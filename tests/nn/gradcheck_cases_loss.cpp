// Gradcheck cases for the loss options: cross_entropy with class weights, ignore_index,
// label_smoothing, [N, C, T] inputs and probability targets (gradients to the logits and to the
// probabilities); nll_loss with weights and ignore_index on [N, C, T]; BCE with pos_weight
// (gradients to the logits and the targets). Weights are constants and get no gradient.
#include "gradcheck_registry.h"

namespace minidl::testing {
namespace {

using Inputs = const std::vector<Tensor>&;

Tensor class_weight() { return from_vector({0.5F, 1.0F, 2.0F, 1.5F}); }

const RegisterGradchecks loss_option_cases{{
    {"cross_entropy",
     "class weights, weighted mean",
     [](Inputs v) {
       return cross_entropy(v[0], from_vector({0, 3, 1, 2}), {.weight = class_weight()});
     },
     {leaf({4, 4}, 501, -2.0F, 2.0F)}},
    {"cross_entropy",
     "ignore_index (default and in range), none",
     [](Inputs v) {
       return cross_entropy(v[0], from_vector({0, -100, 2}),
                            {.reduction = Reduction::None, .weight = class_weight()});
     },
     {leaf({3, 4}, 502, -2.0F, 2.0F)}},
    {"cross_entropy",
     "label_smoothing 0.3 with weights and an ignored target",
     [](Inputs v) {
       return cross_entropy(v[0], from_vector({1, 2, 3}),
                            {.weight = class_weight(), .ignore_index = 2, .label_smoothing = 0.3F});
     },
     {leaf({3, 4}, 503, -2.0F, 2.0F)}},
    {"cross_entropy",
     "logits [N, C, T] (transposed, non-contiguous) with targets [N, T]",
     [](Inputs v) {
       return cross_entropy(v[0].transpose(1, 2), from_vector({2, 0, 1, -100, 1, 2}, {2, 3}),
                            {.reduction = Reduction::Sum, .label_smoothing = 0.1F});
     },
     {leaf({2, 3, 3}, 504, -2.0F, 2.0F)}},
    {"cross_entropy",
     "probability targets, gradient to logits and probabilities",
     [](Inputs v) {
       return cross_entropy(v[0], softmax(v[1], 1),
                            {.weight = class_weight(), .label_smoothing = 0.2F});
     },
     {leaf({3, 4}, 505, -2.0F, 2.0F), leaf({3, 4}, 506)}},
    {"cross_entropy",
     "probability targets on [N, C, T], none",
     [](Inputs v) { return cross_entropy(v[0], softmax(v[1], 1), {.reduction = Reduction::None}); },
     {leaf({2, 3, 2}, 507, -2.0F, 2.0F), leaf({2, 3, 2}, 508)}},
    {"nll_loss",
     "weights and ignore_index on [N, C, T]",
     [](Inputs v) {
       return nll_loss(v[0], from_vector({3, 1, 0, 2, 1, 3}, {2, 3}),
                       {.weight = class_weight(), .ignore_index = 1});
     },
     {leaf({2, 4, 3}, 509)}},
    {"binary_cross_entropy_with_logits",
     "pos_weight [C] broadcast over [N, C], gradient to logits and targets",
     [](Inputs v) {
       return binary_cross_entropy_with_logits(v[0], v[1],
                                               {.pos_weight = from_vector({2.0F, 0.5F, 3.0F})});
     },
     {leaf({4, 3}, 510, -3.0F, 3.0F), leaf({4, 3}, 511, 0.0F, 1.0F)}},
}};

}  // namespace
}  // namespace minidl::testing
