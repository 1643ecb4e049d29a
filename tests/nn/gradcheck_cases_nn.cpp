// Gradcheck cases for the ops the nn issue adds (conv2d, pooling, fused losses) and the nn
// composites (linear, dropout, batch_norm, mse/l1 losses, penalties): stride, padding, dilation
// and group variants, and non-contiguous (permuted, transposed) inputs. Pooling inputs have no
// near-ties; l1 inputs stay away from the kink at 0.
#include "gradcheck_registry.h"
#include "nn_test_helpers.h"

namespace minidl::testing {
namespace {

using Inputs = const std::vector<Tensor>&;

Tensor labels(const std::vector<float>& values) { return from_vector(values); }

// [N, C, H, W] made non-contiguous: stored as [N, H, W, C] and permuted.
Tensor channels_last(const Tensor& nhwc) { return nhwc.permute({0, 3, 1, 2}); }

const RegisterGradchecks conv_cases{{
    {"conv2d",
     "3x3 kernel with bias",
     [](Inputs v) { return conv2d(v[0], v[1], v[2]); },
     {leaf({2, 2, 5, 5}, 101), leaf({3, 2, 3, 3}, 102), leaf({3}, 103)}},
    {"conv2d",
     "stride 2, padding 1",
     [](Inputs v) { return conv2d(v[0], v[1], v[2], {.stride = 2, .padding = 1}); },
     {leaf({1, 2, 6, 5}, 104), leaf({2, 2, 3, 3}, 105), leaf({2}, 106)}},
    {"conv2d",
     "rectangular kernel, dilation 2, padding (2, 1), no bias",
     [](Inputs v) {
       return conv2d(v[0], v[1], {}, {.padding = {2, 1}, .dilation = 2});
     },
     {leaf({1, 1, 6, 7}, 107), leaf({2, 1, 2, 3}, 108)}},
    {"conv2d",
     "groups 2, stride (1, 2)",
     [](Inputs v) {
       return conv2d(v[0], v[1], v[2], {.stride = {1, 2}, .groups = 2});
     },
     {leaf({2, 4, 4, 5}, 109), leaf({4, 2, 3, 3}, 110), leaf({4}, 111)}},
    {"conv2d",
     "channels-last input and transposed kernel (non-contiguous)",
     [](Inputs v) { return conv2d(channels_last(v[0]), v[1].transpose(2, 3), v[2]); },
     {leaf({2, 4, 4, 3}, 112), leaf({2, 3, 2, 2}, 113), leaf({2}, 114)}},
}};

const RegisterGradchecks pooling_cases{{
    {"max_pool2d",
     "2x2 windows",
     [](Inputs v) { return max_pool2d(v[0], {.kernel = 2}); },
     {distinct({2, 2, 4, 4}, 201)}},
    {"max_pool2d",
     "3x3 windows, stride 2, padding 1 (overlapping)",
     [](Inputs v) { return max_pool2d(v[0], {.kernel = 3, .stride = 2, .padding = 1}); },
     {distinct({1, 2, 5, 5}, 202)}},
    {"max_pool2d",
     "rectangular window on a transposed input",
     [](Inputs v) {
       return max_pool2d(v[0].transpose(2, 3), {.kernel = {2, 3}, .stride = {1, 2}});
     },
     {distinct({1, 2, 6, 4}, 203)}},
    {"avg_pool2d",
     "2x2 windows",
     [](Inputs v) { return avg_pool2d(v[0], {.kernel = 2}); },
     {leaf({2, 2, 4, 4}, 204)}},
    {"avg_pool2d",
     "3x3, stride 2, padding 1, padding counted",
     [](Inputs v) { return avg_pool2d(v[0], {.kernel = 3, .stride = 2, .padding = 1}); },
     {leaf({1, 2, 5, 5}, 205)}},
    {"avg_pool2d",
     "3x3, stride 1, padding 1, padding not counted, channels-last input",
     [](Inputs v) {
       return avg_pool2d(channels_last(v[0]),
                         {.kernel = 3, .stride = 1, .padding = 1, .count_include_pad = false});
     },
     {leaf({1, 4, 5, 2}, 206)}},
}};

const RegisterGradchecks loss_cases{{
    {"cross_entropy",
     "mean over the batch",
     [](Inputs v) {
       return cross_entropy(v[0], labels({0, 4, 2, 2}), {.reduction = Reduction::Mean});
     },
     {leaf({4, 5}, 301, -2.0F, 2.0F)}},
    {"cross_entropy",
     "sum, transposed logits",
     [](Inputs v) {
       return cross_entropy(v[0].transpose(0, 1), labels({1, 0, 2}), {.reduction = Reduction::Sum});
     },
     {leaf({4, 3}, 302, -2.0F, 2.0F)}},
    {"cross_entropy",
     "no reduction",
     [](Inputs v) {
       return cross_entropy(v[0], labels({3, 1}), {.reduction = Reduction::None});
     },
     {leaf({2, 4}, 303, -2.0F, 2.0F)}},
    {"nll_loss",
     "mean of log-softmax",
     [](Inputs v) {
       return nll_loss(log_softmax(v[0], 1), labels({2, 0, 1}), {.reduction = Reduction::Mean});
     },
     {leaf({3, 3}, 304)}},
    {"nll_loss",
     "no reduction, transposed input",
     [](Inputs v) {
       return nll_loss(v[0].transpose(0, 1), labels({0, 2}), {.reduction = Reduction::None});
     },
     {leaf({3, 2}, 305)}},
    {"binary_cross_entropy_with_logits",
     "mean, gradients for logits and targets",
     [](Inputs v) {
       return binary_cross_entropy_with_logits(v[0], v[1], {.reduction = Reduction::Mean});
     },
     {leaf({3, 4}, 306, -3.0F, 3.0F), leaf({3, 4}, 307, 0.0F, 1.0F)}},
    {"binary_cross_entropy_with_logits",
     "no reduction, transposed logits",
     [](Inputs v) {
       return binary_cross_entropy_with_logits(v[0].transpose(0, 1), v[1],
                                               {.reduction = Reduction::None});
     },
     {leaf({3, 2}, 308, -3.0F, 3.0F), leaf({2, 3}, 309, 0.0F, 1.0F)}},
    {"mse_loss",
     "mean",
     [](Inputs v) { return nn::mse_loss(v[0], v[1]); },
     {leaf({3, 4}, 310), leaf({3, 4}, 311)}},
    {"mse_loss",
     "no reduction, transposed input",
     [](Inputs v) {
       return nn::mse_loss(v[0].transpose(0, 1), v[1], {.reduction = Reduction::None});
     },
     {leaf({3, 2}, 312), leaf({2, 3}, 313)}},
    {"l1_loss",
     "sum, differences away from 0",
     [](Inputs v) { return nn::l1_loss(v[0], v[1], {.reduction = Reduction::Sum}); },
     {distinct({2, 3}, 314, 0.3F), leaf({2, 3}, 315, -0.02F, 0.02F)}},
}};

const RegisterGradchecks layer_cases{{
    {"linear",
     "with bias",
     [](Inputs v) { return nn::linear(v[0], v[1], v[2]); },
     {leaf({3, 4}, 401), leaf({2, 4}, 402), leaf({2}, 403)}},
    {"linear",
     "batched 3-D input, transposed weight, no bias",
     [](Inputs v) { return nn::linear(v[0], v[1].transpose(0, 1)); },
     {leaf({2, 3, 4}, 404), leaf({4, 5}, 405)}},
    {"dropout",
     "training, fixed seed",
     [](Inputs v) {
       Generator generator(7);
       return nn::dropout(v[0], 0.3F, true, generator);
     },
     {leaf({4, 5}, 406)}},
    {"batch_norm",
     "training on [N, C] with affine",
     [](Inputs v) { return nn::batch_norm(v[0], {}, {}, v[1], v[2], true, 0.1F, 1e-5F); },
     {leaf({5, 3}, 407), leaf({3}, 408, 0.5F, 1.5F), leaf({3}, 409)}},
    {"batch_norm",
     "training on channels-last [N, C, H, W]",
     [](Inputs v) {
       return nn::batch_norm(channels_last(v[0]), {}, {}, v[1], v[2], true, 0.1F, 1e-5F);
     },
     {leaf({2, 3, 2, 3}, 410), leaf({3}, 411, 0.5F, 1.5F), leaf({3}, 412)}},
    {"batch_norm",
     "training on [N, C, L] without affine",
     [](Inputs v) { return nn::batch_norm(v[0], {}, {}, {}, {}, true, 0.1F, 1e-5F); },
     {leaf({3, 2, 4}, 416)}},
    {"batch_norm",
     "evaluation with running statistics",
     [](Inputs v) {
       return nn::batch_norm(v[0], from_vector({0.1F, -0.2F}), from_vector({0.5F, 2.0F}), v[1],
                             v[2], false, 0.1F, 1e-5F);
     },
     {leaf({3, 2, 2}, 413), leaf({2}, 414), leaf({2}, 415)}},
    {"l1_penalty",
     "two tensors, one transposed",
     [](Inputs v) {
       return nn::l1_penalty({v[0], v[1].transpose(0, 1)});
     },
     {distinct({2, 3}, 416, 0.2F), distinct({3, 2}, 417, 0.2F)}},
    {"l2_penalty",
     "two tensors",
     [](Inputs v) {
       return nn::l2_penalty({v[0], v[1]});
     },
     {leaf({2, 3}, 418), leaf({4}, 419)}},
}};

}  // namespace
}  // namespace minidl::testing
