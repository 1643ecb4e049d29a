// The list of every public differentiable op. Primitive ops pass their name to `record()`,
// which refuses names missing from this list; composite ops (written with other ops) are
// listed too. The gradcheck suite must hold a case for every name here, so no op can ship
// without a finite-difference check of its backward. Later layers (nn) append their ops.
#pragma once

#include <array>
#include <string_view>

namespace minidl::autograd {

/// Every differentiable op, primitive or composite.
inline constexpr std::array kDifferentiableOps = {
    // elementwise arithmetic (core/ops/arithmetic.cpp)
    std::string_view{"add"},
    std::string_view{"sub"},
    std::string_view{"mul"},
    std::string_view{"div"},
    std::string_view{"add_scalar"},
    std::string_view{"mul_scalar"},
    std::string_view{"div_scalar"},
    std::string_view{"rsub_scalar"},
    std::string_view{"rdiv_scalar"},
    std::string_view{"neg"},
    // elementwise math and activations (core/ops/math.cpp)
    std::string_view{"pow"},
    std::string_view{"exp"},
    std::string_view{"log"},
    std::string_view{"sqrt"},
    std::string_view{"abs"},
    std::string_view{"clamp"},
    std::string_view{"relu"},
    std::string_view{"leaky_relu"},
    std::string_view{"sigmoid"},
    std::string_view{"tanh"},
    // softmax family (core/ops/softmax.cpp)
    std::string_view{"softmax"},
    std::string_view{"log_softmax"},
    // reductions (core/ops/reduction.cpp)
    std::string_view{"sum"},
    std::string_view{"mean"},
    std::string_view{"var"},
    std::string_view{"max"},
    std::string_view{"min"},
    // linear algebra (core/ops/matmul.cpp)
    std::string_view{"matmul"},
    // views and copies (core/ops/view.cpp)
    std::string_view{"reshape"},
    std::string_view{"view"},
    std::string_view{"flatten"},
    std::string_view{"squeeze"},
    std::string_view{"unsqueeze"},
    std::string_view{"transpose"},
    std::string_view{"permute"},
    std::string_view{"expand"},
    std::string_view{"slice"},
    std::string_view{"narrow"},
    std::string_view{"contiguous"},
    std::string_view{"clone"},
    // indexing and joining (core/ops/indexing.cpp)
    std::string_view{"index_select"},
    std::string_view{"cat"},
    std::string_view{"stack"},
    // nn primitives: convolution, pooling, fused losses (core/ops/conv.cpp, pooling.cpp, loss.cpp)
    std::string_view{"conv2d"},
    std::string_view{"max_pool2d"},
    std::string_view{"avg_pool2d"},
    std::string_view{"cross_entropy"},
    std::string_view{"nll_loss"},
    std::string_view{"binary_cross_entropy_with_logits"},
    // the fused linear layer (nn/functional.cpp)
    std::string_view{"linear"},
    // nn composites, written with other ops (nn/functional.cpp, nn/regularization.cpp)
    std::string_view{"dropout"},
    std::string_view{"batch_norm"},
    std::string_view{"mse_loss"},
    std::string_view{"l1_loss"},
    std::string_view{"l1_penalty"},
    std::string_view{"l2_penalty"},
};

/// True when `name` is in kDifferentiableOps.
bool is_differentiable_op(std::string_view name);

}  // namespace minidl::autograd
