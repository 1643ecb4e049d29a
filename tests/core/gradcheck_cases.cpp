// Gradcheck cases for every core differentiable op, including broadcast operands and
// non-contiguous (transposed, sliced, expanded) inputs. Inputs stay away from kinks
// (relu/abs at 0, clamp bounds) and from the edges of each function's domain.
#include "custom_functions.h"
#include "gradcheck_registry.h"

namespace minidl::testing {
namespace {

using Inputs = const std::vector<Tensor>&;

Tensor fixed(const std::vector<float>& values, const Shape& shape) {
  return from_vector(values, shape).requires_grad_();
}
// Values at least 0.1 away from 0 and from +-0.5, for ops with kinks there.
Tensor kinked_input() { return fixed({-1.3F, -0.7F, -0.2F, 0.3F, 0.8F, 1.4F}, {2, 3}); }
Tensor positive(const Shape& shape, uint64_t seed) { return leaf(shape, seed, 0.5F, 2.0F); }

const RegisterGradchecks core_cases{{
    {"add", "same shape", [](Inputs v) { return v[0] + v[1]; }, {leaf({2, 3}, 1), leaf({2, 3}, 2)}},
    {"add",
     "broadcast row and column",
     [](Inputs v) { return v[0] + v[1]; },
     {leaf({3, 1}, 3), leaf({4}, 4)}},
    {"add",
     "transposed operand",
     [](Inputs v) { return v[0].transpose(0, 1) + v[1]; },
     {leaf({3, 2}, 5), leaf({2, 3}, 6)}},
    {"sub", "broadcast", [](Inputs v) { return v[0] - v[1]; }, {leaf({2, 3}, 7), leaf({3}, 8)}},
    {"mul",
     "broadcast with a sliced operand",
     [](Inputs v) { return v[0].slice(1, 0, 4, 2) * v[1]; },
     {leaf({3, 4}, 9), leaf({1, 2}, 10)}},
    {"div",
     "broadcast, positive denominator",
     [](Inputs v) { return v[0] / v[1]; },
     {leaf({2, 3}, 11), positive({2, 1}, 12)}},
    {"add_scalar", "", [](Inputs v) { return v[0] + 2.5F; }, {leaf({4}, 13)}},
    {"mul_scalar", "", [](Inputs v) { return v[0] * -1.5F; }, {leaf({4}, 14)}},
    {"div_scalar", "", [](Inputs v) { return v[0] / 4.0F; }, {leaf({4}, 15)}},
    {"rsub_scalar", "", [](Inputs v) { return 3.0F - v[0]; }, {leaf({4}, 16)}},
    {"rdiv_scalar", "", [](Inputs v) { return 2.0F / v[0]; }, {positive({4}, 17)}},
    {"neg", "transposed", [](Inputs v) { return -v[0].transpose(0, 1); }, {leaf({2, 3}, 18)}},
    {"pow", "cube", [](Inputs v) { return pow(v[0], 3.0F); }, {leaf({5}, 19)}},
    {"pow", "fractional power", [](Inputs v) { return pow(v[0], 1.5F); }, {positive({5}, 20)}},
    {"exp", "", [](Inputs v) { return exp(v[0]); }, {leaf({2, 3}, 21)}},
    {"log", "", [](Inputs v) { return log(v[0]); }, {positive({2, 3}, 22)}},
    {"sqrt", "", [](Inputs v) { return sqrt(v[0]); }, {positive({2, 3}, 23)}},
    {"abs", "", [](Inputs v) { return abs(v[0]); }, {kinked_input()}},
    {"clamp",
     "inside and outside the bounds",
     [](Inputs v) { return clamp(v[0], -0.5F, 0.5F); },
     {kinked_input()}},
    {"relu", "transposed", [](Inputs v) { return relu(v[0].transpose(0, 1)); }, {kinked_input()}},
    {"leaky_relu", "", [](Inputs v) { return leaky_relu(v[0], 0.1F); }, {kinked_input()}},
    {"sigmoid", "", [](Inputs v) { return sigmoid(v[0] * 3.0F); }, {leaf({2, 3}, 24)}},
    {"tanh", "", [](Inputs v) { return tanh(v[0]); }, {leaf({2, 3}, 25)}},
    {"softmax", "last dim", [](Inputs v) { return softmax(v[0], -1); }, {leaf({3, 4}, 26)}},
    {"softmax",
     "middle dim of a permuted input",
     [](Inputs v) {
       return softmax(v[0].permute({2, 0, 1}), 1);
     },
     {leaf({2, 3, 4}, 27)}},
    {"log_softmax", "dim 0", [](Inputs v) { return log_softmax(v[0], 0); }, {leaf({3, 4}, 28)}},
    {"log_softmax",
     "large logits",
     [](Inputs v) { return log_softmax(v[0] + 500.0F, 1); },
     {leaf({2, 5}, 29)}},
    {"sum", "all", [](Inputs v) { return sum(v[0]); }, {leaf({2, 3}, 30)}},
    {"sum",
     "dims with keepdim",
     [](Inputs v) {
       return sum(v[0], {0, 2}, true);
     },
     {leaf({2, 3, 4}, 31)}},
    {"sum",
     "transposed input",
     [](Inputs v) { return sum(v[0].transpose(0, 1), {1}); },
     {leaf({3, 2}, 32)}},
    {"mean", "one dim", [](Inputs v) { return mean(v[0], {1}); }, {leaf({2, 3}, 33)}},
    {"var", "unbiased over a dim", [](Inputs v) { return var(v[0], {1}); }, {leaf({3, 5}, 34)}},
    {"var", "population, all", [](Inputs v) { return var(v[0], {}, false, 0); }, {leaf({6}, 35)}},
    {"max", "along a dim", [](Inputs v) { return max(v[0], {1}); }, {kinked_input()}},
    {"max", "all, keepdim", [](Inputs v) { return max(v[0], {}, true); }, {kinked_input()}},
    {"min", "along dim 0", [](Inputs v) { return min(v[0], {0}); }, {kinked_input()}},
    {"matmul",
     "2-D @ 2-D",
     [](Inputs v) { return matmul(v[0], v[1]); },
     {leaf({3, 4}, 36), leaf({4, 2}, 37)}},
    {"matmul",
     "transposed operands",
     [](Inputs v) { return matmul(v[0].transpose(0, 1), v[1].transpose(0, 1)); },
     {leaf({4, 3}, 38), leaf({2, 4}, 39)}},
    {"matmul",
     "batched with broadcast batch dims",
     [](Inputs v) { return matmul(v[0], v[1]); },
     {leaf({2, 1, 3, 4}, 40), leaf({3, 4, 2}, 41)}},
    {"matmul",
     "matrix @ vector",
     [](Inputs v) { return matmul(v[0], v[1]); },
     {leaf({3, 4}, 42), leaf({4}, 43)}},
    {"matmul",
     "vector @ batched matrix",
     [](Inputs v) { return matmul(v[0], v[1]); },
     {leaf({3}, 44), leaf({2, 3, 4}, 45)}},
    {"matmul",
     "dot product",
     [](Inputs v) { return matmul(v[0], v[1]); },
     {leaf({5}, 46), leaf({5}, 47)}},
    {"reshape",
     "of a transposed view (copies)",
     [](Inputs v) { return v[0].transpose(0, 1).reshape({-1}) * 2.0F; },
     {leaf({2, 3}, 48)}},
    {"view",
     "",
     [](Inputs v) {
       return v[0].view({3, 2}) * 2.0F;
     },
     {leaf({2, 3}, 49)}},
    {"flatten", "", [](Inputs v) { return v[0].flatten(1) * 2.0F; }, {leaf({2, 3, 2}, 50)}},
    {"squeeze", "", [](Inputs v) { return v[0].squeeze() * 2.0F; }, {leaf({1, 3, 1}, 51)}},
    {"unsqueeze", "", [](Inputs v) { return v[0].unsqueeze(1) * 2.0F; }, {leaf({3}, 52)}},
    {"transpose", "", [](Inputs v) { return v[0].transpose(0, 2) * 2.0F; }, {leaf({2, 3, 4}, 53)}},
    {"permute",
     "",
     [](Inputs v) {
       return v[0].permute({1, 2, 0}) * 2.0F;
     },
     {leaf({2, 3, 4}, 54)}},
    {"expand",
     "new leading dim and size-1 dim",
     [](Inputs v) {
       return v[0].expand({2, 3, 4}) * v[1];
     },
     {leaf({3, 1}, 55), leaf({2, 3, 4}, 56)}},
    {"slice",
     "with a step",
     [](Inputs v) { return v[0].slice(1, 1, 6, 2) * 2.0F; },
     {leaf({2, 6}, 57)}},
    {"narrow", "", [](Inputs v) { return v[0].narrow(0, 1, 2) * 2.0F; }, {leaf({4, 2}, 58)}},
    {"contiguous",
     "of a transposed view",
     [](Inputs v) { return v[0].transpose(0, 1).contiguous() * 2.0F; },
     {leaf({2, 3}, 59)}},
    {"clone", "", [](Inputs v) { return v[0].clone() * 2.0F; }, {leaf({3}, 60)}},
    {"index_select",
     "repeated indices add up",
     [](Inputs v) {
       return index_select(v[0], 0, from_vector({2, 0, 2}));
     },
     {leaf({3, 2}, 61)}},
    {"index_select",
     "along dim 1 of a transposed input",
     [](Inputs v) { return index_select(v[0].transpose(0, 1), 1, from_vector({1})); },
     {leaf({3, 2}, 62)}},
    {"cat",
     "along dim 1",
     [](Inputs v) {
       return cat({v[0], v[1]}, 1);
     },
     {leaf({2, 3}, 63), leaf({2, 1}, 64)}},
    {"stack",
     "new middle dim",
     [](Inputs v) {
       return stack({v[0], v[1]}, 1);
     },
     {leaf({2, 3}, 65), leaf({2, 3}, 66)}},
    {"where",
     "broadcast condition and operand",
     [](Inputs v) {
       return where(from_vector({1, 0, 1}), v[0], v[1]);
     },
     {leaf({2, 3}, 76), leaf({1}, 77)}},
    {"masked_fill",
     "mask broadcast over rows",
     [](Inputs v) {
       return masked_fill(v[0], from_vector({0, 1, 0}), 5.0F);
     },
     {leaf({2, 3}, 78)}},
    {"pow",
     "exponent 0, at and around 0",
     [](Inputs v) { return pow(v[0], 0.0F); },
     {fixed({0.0F, -0.5F, 0.5F}, {3})}},
    // custom autograd Functions (custom_functions.h), checked like built-in ops
    {"Softplus",
     "beta 2, a non-tensor argument",
     [](Inputs v) { return Softplus::apply(v[0], 2.0F); },
     {leaf({2, 3}, 67)}},
    {"RawLog",
     "a raw loop in forward",
     [](Inputs v) { return RawLog::apply(v[0]); },
     {positive({2, 3}, 75)}},
    {"PassThrough",
     "forward returns its input",
     [](Inputs v) { return PassThrough::apply(v[0]) * 2.0F; },
     {leaf({3}, 74)}},
    {"mul_add",
     "three inputs, broadcast-free",
     [](Inputs v) { return MulAdd::apply(v[0], v[1], v[2]); },
     {leaf({2, 3}, 68), leaf({2, 3}, 69), leaf({2, 3}, 70)}},
    {"mul_add",
     "only the middle input needs a gradient",
     [](Inputs v) { return MulAdd::apply(v[0], v[1], v[2]); },
     {leaf({4}, 71).detach(), leaf({4}, 72), leaf({4}, 73).detach()}},
}};

}  // namespace
}  // namespace minidl::testing
