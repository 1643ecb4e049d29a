// The bad-input table of core (see bad_input_table.h): shapes whose element or byte count
// overflows or exceeds the memory, negative sizes, impossible ranges and indices, and
// reductions over nothing, and the thread pool's errors.
#include <cstdint>
#include <limits>

#include "bad_input_table.h"
#include "minidl.h"

using namespace minidl;
using minidl::testing::BadInput;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t k2_40 = int64_t{1} << 40;

// A view of one zero as `shape` (no memory of that size is allocated).
Tensor broadcast_zero(const Shape& shape) { return zeros(Shape(shape.size(), 1)).expand(shape); }

std::vector<BadInput> size_rows() {
  return {
      {"zeros: element count overflows int64",
       [] {
         zeros({k2_40, k2_40});
       },
       "zeros: shape [1099511627776, 1099511627776] has too many elements"},
      {"ones: three dims whose product wraps to a small number",
       [] {
         ones({int64_t{1} << 32, int64_t{1} << 32, 4});
       },
       "ones: shape [4294967296, 4294967296, 4] has too many elements"},
      {"full: more bytes than the machine has", [] { full({int64_t{1} << 50}, 1.0F); },
       "full: shape [1125899906842624]: Storage: 1125899906842624 floats"},
      {"zeros: INT64_MAX elements", [] { zeros({kMax}); }, "more than this machine's"},
      {"zeros: negative size",
       [] {
         zeros({2, -3});
       },
       "zeros: negative size -3 in shape [2, -3]"},
      {"Tensor::empty: negative size", [] { Tensor::empty({-1}); },
       "empty: negative size -1 in shape [-1]"},
      {"rand: element count overflows",
       [] {
         rand({int64_t{1} << 31, int64_t{1} << 31, 4});
       },
       "uniform: shape [2147483648, 2147483648, 4] has too many elements"},
      {"from_vector: negative sizes whose product matches",
       [] {
         from_vector({1.0F}, {-1, -1});
       },
       "from_vector: negative size -1 in shape [-1, -1]"},
      {"add: broadcasting [n, 1] and [1, m] overflows",
       [] {
         add(broadcast_zero({k2_40, 1}), broadcast_zero({1, k2_40}));
       },
       "add: shape [1099511627776, 1099511627776] has too many elements"},
      {"mul: broadcast result larger than the memory",
       [] {
         mul(broadcast_zero({int64_t{1} << 25, 1}), broadcast_zero({1, int64_t{1} << 25}));
       },
       "mul: shape [33554432, 33554432]: Storage:"},
      {"expand: element count overflows",
       [] {
         zeros({1, 1}).expand({k2_40, k2_40});
       },
       "expand: shape [1099511627776, 1099511627776] has too many elements"},
      {"expand: negative size on an existing dim", [] { zeros({1}).expand({-2}); },
       "expand: negative size -2 in [-2] (only -1, keep, is allowed)"},
      {"expand: -1 on a new leading dim",
       [] {
         zeros({3}).expand({-1, 3});
       },
       "expand: new leading dim 0 needs a size, got -1"},
      {"reshape: known sizes overflow next to a -1",
       [] {
         zeros({4}).reshape({k2_40, k2_40, -1});
       },
       "reshape: shape [1099511627776, 1099511627776] has too many elements"},
      {"reshape: negative size other than -1",
       [] {
         zeros({4}).reshape({-2, -2});
       },
       "reshape: negative size -2 in shape [-2, -2]"},
      {"reshape: sizes whose product wraps to the input's count",
       [] {
         zeros({4}).reshape({int64_t{1} << 62, 4, 4});
       },
       "reshape: shape"},
      {"view: -1 next to a 0",
       [] {
         zeros({4}).view({-1, 0});
       },
       "view: cannot infer the -1 in shape [-1, 0]"},
      {"narrow: start + length overflows", [] { ones({4}).narrow(0, 2, kMax); },
       "narrow: 2 + 9223372036854775807 overflows int64"},
      {"cat: the joined size overflows",
       [] {
         cat({broadcast_zero({int64_t{1} << 62}), broadcast_zero({int64_t{1} << 62})}, 0);
       },
       "cat: 4611686018427387904 + 4611686018427387904 overflows int64"},
      {"matmul: the output's element count overflows",
       [] {
         matmul(broadcast_zero({k2_40, 1}), broadcast_zero({1, k2_40}));
       },
       "matmul: shape [1099511627776, 1099511627776] has too many elements"},
  };
}

std::vector<BadInput> range_rows() {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  return {
      {"arange: more elements than int64 counts", [] { arange(0.0F, 1e30F, 1.0F); },
       "arange: start=0 end=1e+30 step=1 gives 1e+30 elements, too many"},
      {"arange: more elements than the memory holds", [] { arange(0.0F, 1e18F, 1.0F); },
       "arange: shape [999999984306749440]: Storage:"},
      {"arange: tiny step over a long range", [] { arange(0.0F, 1.0F, 1e-30F); },
       "arange: start=0 end=1 step=1e-30 gives 1e+30 elements"},
      {"arange: NaN end", [] { arange(0.0F, kNaN, 1.0F); }, "arange: bad range start=0 end=nan"},
      {"arange: infinite start", [] { arange(-kInf, 0.0F, 1.0F); }, "arange: bad range"},
      {"arange: zero step", [] { arange(0.0F, 1.0F, 0.0F); }, "arange: bad range"},
      {"conv2d: padding whose padded size overflows",
       [] {
         conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 3, 3}), {}, {.padding = kMax / 2});
       },
       "conv2d: 4 + 9223372036854775806 overflows int64"},
      {"conv2d: dilation whose kernel span overflows",
       [] {
         conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 3, 3}), {}, {.dilation = int64_t{1} << 62});
       },
       "conv2d: 4611686018427387904 * 2 overflows int64"},
      {"conv2d: an im2col buffer larger than the memory",
       [] {
         conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 1, 1}), {}, {.padding = int64_t{1} << 30});
       },
       "needs an im2col buffer of 4611686035607257104 floats per sample"},
      {"max_pool2d: padding whose padded size overflows",
       [] {
         max_pool2d(zeros({1, 1, 4, 4}), {.kernel = kMax, .padding = kMax / 2});
       },
       "max_pool2d: 9223372036854775807 * 9223372036854775807 overflows int64"},
      {"avg_pool2d: a window whose element count overflows",
       [] {
         avg_pool2d(zeros({1, 1, 1, 1}), {.kernel = k2_40, .padding = k2_40 / 2});
       },
       "avg_pool2d: 1099511627776 * 1099511627776 overflows int64"},
      {"max_pool2d: padding past half a huge kernel",
       [] {
         max_pool2d(zeros({1, 1, 4, 4}), {.kernel = 2, .padding = kMax});
       },
       "max_pool2d: padding 9223372036854775807"},
  };
}

std::vector<BadInput> index_rows() {
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  return {
      {"index_select: index beyond int64", [] { index_select(ones({3}), 0, from_vector({1e30F})); },
       "index_select: index 1e+30 out of range for dim 0 of shape [3] (size 3)"},
      {"index_select: NaN index", [] { index_select(ones({3}), 0, from_vector({kNaN})); },
       "index_select: index nan is not a whole number"},
      {"index_select: negative index", [] { index_select(ones({3}), 0, from_vector({-1.0F})); },
       "index_select: index -1 out of range"},
      {"cross_entropy: a label past int64",
       [] {
         cross_entropy(zeros({1, 3}), from_vector({1e20F}), {.reduction = Reduction::Mean});
       },
       "cross_entropy: target 1e+20 at position 0 is out of range for 3 classes"},
      {"nll_loss: an infinite label",
       [] {
         nll_loss(zeros({1, 3}), from_vector({std::numeric_limits<float>::infinity()}),
                  {.reduction = Reduction::Mean});
       },
       "nll_loss: target inf at position 0 is not a whole number"},
  };
}

std::vector<BadInput> empty_rows() {
  return {
      {"max: an empty tensor", [] { max(zeros({0})); },
       "max: cannot reduce an empty tensor of shape [0] over dims [0]"},
      {"min: over an empty dim",
       [] {
         min(zeros({0, 3}), {0});
       },
       "min: cannot reduce an empty tensor of shape [0, 3] over dims [0]"},
      {"argmax: an empty tensor",
       [] {
         argmax(zeros({2, 0}));
       },
       "argmax: cannot take the argmax of an empty tensor of shape [2, 0]"},
      {"argmax: over an empty dim",
       [] {
         argmax(zeros({0, 3}), 0);
       },
       "argmax: dim 0 of shape [0, 3] is empty"},
      {"mean: an empty tensor", [] { mean(zeros({0})); },
       "mean: cannot average an empty tensor of shape [0]"},
      {"mean: over an empty dim",
       [] {
         mean(zeros({0, 3}), {0});
       },
       "mean: cannot average an empty tensor of shape [0, 3]"},
      {"var: one element with correction 1", [] { var(ones({1})); },
       "var: 1 elements with correction 1 leave no degrees of freedom"},
      {"var: an empty dim",
       [] {
         var(zeros({0, 3}), {0}, false, 0);
       },
       "var: 0 elements with correction 0 leave no degrees of freedom"},
      {"item: an empty tensor", [] { (void)zeros({0}).item(); },
       "item: tensor of shape [0] has 0 elements, expected 1"},
      {"mse_loss with mean: empty tensors",
       [] { nn::functional::mse_loss(zeros({0}), zeros({0})); }, "mean: cannot average"},
      {"batch_norm: zero channels in training",
       [] {
         nn::functional::batch_norm(zeros({2, 0}), {}, {}, {}, {}, true, 0.1F, 1e-5F);
       },
       "batch_norm: training needs more than one value per channel"},
  };
}

// Run at 2 threads (the test case sets them), so that parallel_for really splits.
std::vector<BadInput> thread_rows() {
  return {
      {"set_num_threads: zero", [] { set_num_threads(0); },
       "set_num_threads: need at least 1 thread, got 0"},
      {"set_num_threads: negative", [] { set_num_threads(-4); },
       "set_num_threads: need at least 1 thread, got -4"},
      {"set_num_threads: inside a chunk of parallel_for",
       [] { parallel_for(0, 2, 1, [](int64_t, int64_t) { set_num_threads(1); }); },
       "set_num_threads: cannot be called inside parallel_for"},
      {"set_num_threads: the system refuses a worker thread",
       [] {
         detail::fail_thread_start_after(0);
         set_num_threads(3);
       },
       "set_num_threads(3): could not start worker thread 1 of 2 (Resource temporarily "
       "unavailable); the pool runs on 1 thread"},
  };
}

// Wrong calls of the reductions, views and selections of issue 15 part 3.
std::vector<BadInput> selection_rows() {
  return {
      {"std: no degrees of freedom", [] { minidl::std(ones({1})); },
       "var: 1 elements with correction 1 leave no degrees of freedom (shape [1])"},
      {"argmin: an empty tensor", [] { argmin(zeros({0})); },
       "argmin: cannot take the argmin of an empty tensor of shape [0]"},
      {"argmin: dim out of range", [] { argmin(ones({2}), 1); }, "argmin: dim 1 out of range"},
      {"max along a dim: an empty dim",
       [] {
         max(zeros({2, 0}), 1);
       },
       "max: dim 1 of shape [2, 0] is empty"},
      {"min along a dim: dim out of range",
       [] {
         min(ones({2, 3}), -3);
       },
       "min: dim -3 out of range"},
      {"gather: index with another number of dims",
       [] {
         gather(ones({2, 3}), 1, zeros({2}));
       },
       "gather: index of shape [2] must have the 2 dims of [2, 3]"},
      {"gather: index larger than the input outside dim",
       [] {
         gather(ones({2, 3}), 1, zeros({3, 1}));
       },
       "gather: index of shape [3, 1] is larger than input [2, 3] outside dim 1"},
      {"gather: index out of range",
       [] {
         gather(ones({2, 3}), 1, full({2, 1}, 3.0F));
       },
       "gather: index 3 is not a whole number in [0, 3) for dim 1 of shape [2, 3]"},
      {"gather: fractional index",
       [] {
         gather(ones({2, 3}), 0, full({1, 1}, 0.5F));
       },
       "gather: index 0.5 is not a whole number in [0, 2) for dim 0 of shape [2, 3]"},
      {"topk: k larger than the dim",
       [] {
         topk(ones({2, 3}), 4);
       },
       "topk: k = 4 out of range [0, 3] for dim 1 of shape [2, 3]"},
      {"topk: negative k", [] { topk(ones({3}), -1); },
       "topk: k = -1 out of range [0, 3] for dim 0 of shape [3]"},
      {"cumsum: dim out of range", [] { cumsum(ones({2}), 1); }, "cumsum: dim 1 out of range"},
      {"repeat: fewer repeats than dims",
       [] {
         repeat(ones({2, 3}), {2});
       },
       "repeat: 1 repeats for a tensor of shape [2, 3] (2 dims)"},
      {"repeat: negative count", [] { repeat(ones({2}), {-1}); },
       "repeat: negative repeat count -1 in [-1]"},
      {"repeat: the result overflows",
       [] {
         repeat(ones({2}), {int64_t{1} << 62, 4});
       },
       "repeat: shape [4611686018427387904, 8] has too many elements"},
      {"narrow: negative start before the beginning", [] { narrow(ones({5}), 0, -6, 1); },
       "narrow: start -6 out of range [-5, 5] for dim 0 of shape [5]"},
      {"narrow: negative start, length past the end", [] { narrow(ones({5}), 0, -2, 3); },
       "narrow: range [3, 6) out of range for dim 0 of shape [5]"},
  };
}

}  // namespace

TEST_CASE("core refuses shapes whose element or byte count overflows or exceeds the memory") {
  minidl::testing::check_rows(size_rows());
}

TEST_CASE("core refuses impossible ranges and geometries: arange, conv2d and pooling sizes") {
  minidl::testing::check_rows(range_rows());
}

TEST_CASE("core compares float-carried indices as integers and refuses NaN and huge ones") {
  minidl::testing::check_rows(index_rows());
}

TEST_CASE("reductions with nothing to reduce refuse clearly instead of dividing by zero") {
  minidl::testing::check_rows(empty_rows());
}

TEST_CASE("the thread pool refuses bad thread counts and reports workers that cannot start") {
  set_num_threads(2);
  minidl::testing::check_rows(thread_rows());
  set_num_threads(2);  // the last row left the pool at 1 thread
}

TEST_CASE("selections, scans and tilings refuse bad dims, counts and indices") {
  minidl::testing::check_rows(selection_rows());
}
