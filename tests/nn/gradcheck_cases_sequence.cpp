// Gradcheck cases for the sequence-model ops: gelu (exact and tanh forms), embedding (repeated
// indices, a padding row) and the fused layer_norm (input, weight and bias; one or two normalized
// dims; a transposed input).
#include "gradcheck_registry.h"
#include "nn_test_helpers.h"

namespace minidl::testing {
namespace {

using Inputs = const std::vector<Tensor>&;

const RegisterGradchecks sequence_cases{{
    {"gelu",
     "exact form",
     [](Inputs v) { return nn::gelu(v[0]); },
     {leaf({3, 4}, 1601, -3.0F, 3.0F)}},
    {"gelu",
     "tanh form on a transposed input",
     [](Inputs v) { return nn::gelu(v[0].transpose(0, 1), "tanh"); },
     {leaf({4, 3}, 1602, -3.0F, 3.0F)}},
    {"embedding",
     "repeated indices in a [2, 3] batch",
     [](Inputs v) {
       return nn::embedding(from_vector({1, 0, 3, 3, 1, 2}, {2, 3}), v[0]);
     },
     {leaf({4, 5}, 1603)}},
    {"embedding",
     "padding_idx 0, the padding positions masked out of the output (their true gradient is "
     "then 0, the one the op gives the padding row)",
     [](Inputs v) {
       Tensor out = nn::embedding(from_vector({0, 2, 0, 1}), v[0], 0);  // [4, 2]
       return mul(out, from_vector({0, 1, 0, 1}, {4, 1}));
     },
     {leaf({3, 2}, 1604)}},
    {"layer_norm",
     "last dim with weight and bias",
     [](Inputs v) { return nn::layer_norm(v[0], {5}, v[1], v[2]); },
     {leaf({3, 5}, 1605), leaf({5}, 1606, 0.5F, 1.5F), leaf({5}, 1607)}},
    {"layer_norm",
     "two normalized dims of a transposed [2, 4, 3] input, weight only",
     [](Inputs v) {
       return nn::layer_norm(v[0].transpose(1, 2), {4, 3}, v[1]);
     },
     {leaf({2, 3, 4}, 1608), leaf({4, 3}, 1609, 0.5F, 1.5F)}},
    {"layer_norm",
     "no affine parameters",
     [](Inputs v) { return nn::layer_norm(v[0], {4}); },
     {leaf({2, 2, 4}, 1610)}},
}};

}  // namespace
}  // namespace minidl::testing
