// Gradcheck cases of std, max/min along one dim, gather, topk, cumsum and repeat (issue 15 part
// 3) and of the pooling options and adaptive pooling (part 5). Inputs are seeded draws whose
// entries are distinct, so no selection sits on a tie.
#include "gradcheck_registry.h"

namespace minidl::testing {
namespace {

using Inputs = const std::vector<Tensor>&;

Tensor values_of(const std::tuple<Tensor, Tensor>& values_indices) {
  return std::get<0>(values_indices);
}

const RegisterGradchecks reduction_cases{{
    {"std",
     "unbiased over a dim",
     [](Inputs v) { return minidl::std(v[0], {1}); },
     {leaf({3, 5}, 301)}},
    {"std",
     "population, all, keepdim",
     [](Inputs v) { return minidl::std(v[0], {}, true, 0); },
     {leaf({2, 3}, 302)}},
    {"gather",
     "max along dim 1",
     [](Inputs v) { return values_of(max(v[0], 1)); },
     {leaf({3, 4}, 303)}},
    {"gather",
     "min along dim 0, keepdim, transposed input",
     [](Inputs v) { return values_of(min(v[0].transpose(0, 1), 0, true)); },
     {leaf({4, 3}, 304)}},
    {"gather",
     "repeated indices add up",
     [](Inputs v) {
       return gather(v[0], 1, from_vector({2, 0, 2, 1, 1, 1}, {2, 3}));
     },
     {leaf({2, 4}, 305)}},
    {"gather",
     "index smaller than the input outside dim, sliced input",
     [](Inputs v) {
       return gather(v[0].slice(1, 0, 4, 2), 0, from_vector({2, 0}, {1, 2}));
     },
     {leaf({3, 4}, 306)}},
    {"topk",
     "largest, sorted, last dim",
     [](Inputs v) { return values_of(topk(v[0], 2)); },
     {leaf({3, 5}, 307)}},
    {"topk",
     "smallest, unsorted, dim 0",
     [](Inputs v) { return values_of(topk(v[0], 2, 0, false, false)); },
     {leaf({4, 3}, 308)}},
    {"cumsum", "last dim", [](Inputs v) { return cumsum(v[0], -1); }, {leaf({2, 4}, 309)}},
    {"cumsum",
     "dim 0 of a transposed input",
     [](Inputs v) { return cumsum(v[0].transpose(0, 1), 0); },
     {leaf({2, 3}, 310)}},
    {"repeat",
     "same rank",
     [](Inputs v) {
       return repeat(v[0], {2, 3});
     },
     {leaf({2, 2}, 311)}},
    {"repeat",
     "new leading dim",
     [](Inputs v) {
       return repeat(v[0], {2, 1, 2});
     },
     {leaf({3}, 312)}},
}};

const RegisterGradchecks pooling_option_cases{{
    {"max_pool2d",
     "ceil_mode with padding",
     [](Inputs v) {
       return max_pool2d(v[0], {.kernel = 3, .stride = 2, .padding = 1, .ceil_mode = true});
     },
     {leaf({1, 2, 6, 6}, 321)}},
    {"max_pool2d",
     "dilation",
     [](Inputs v) {
       return max_pool2d(v[0], {.kernel = 2, .stride = 1, .dilation = {2, 3}});
     },
     {leaf({2, 1, 5, 6}, 322)}},
    {"avg_pool2d",
     "ceil_mode, padding not counted",
     [](Inputs v) {
       return avg_pool2d(
           v[0],
           {.kernel = 3, .stride = 2, .padding = 1, .count_include_pad = false, .ceil_mode = true});
     },
     {leaf({1, 2, 6, 5}, 323)}},
    {"avg_pool2d",
     "divisor_override",
     [](Inputs v) {
       return avg_pool2d(v[0], {.kernel = 2, .ceil_mode = true, .divisor_override = 3});
     },
     {leaf({1, 1, 5, 5}, 324)}},
    {"adaptive_avg_pool2d",
     "uneven windows",
     [](Inputs v) {
       return adaptive_avg_pool2d(v[0], {.output_size = {3, 4}});
     },
     {leaf({2, 1, 5, 7}, 325)}},
    {"adaptive_avg_pool2d",
     "global, transposed input",
     [](Inputs v) { return adaptive_avg_pool2d(v[0].transpose(2, 3), {.output_size = 1}); },
     {leaf({1, 2, 3, 4}, 326)}},
    {"adaptive_max_pool2d",
     "overlapping windows",
     [](Inputs v) {
       return adaptive_max_pool2d(v[0], {.output_size = {2, 3}});
     },
     {leaf({1, 2, 5, 4}, 327)}},
}};

}  // namespace
}  // namespace minidl::testing
