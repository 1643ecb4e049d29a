// conv2d and pooling against naive reference loops over many geometries, and the adjoint
// relation between im2col and col2im that the convolution backward relies on.
#include <doctest/doctest.h>

#include <cmath>

#include "core/kernels/conv.h"
#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;

namespace {

// Direct 7-loop convolution: out[n, o, y, x] = b[o] + sum w[o, c, i, j] in[n, g*CG + c, iy, ix].
std::vector<float> reference_conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                    const Conv2dFuncOptions& p, Shape& out_shape) {
  const int64_t N = input.size(0), C = input.size(1), H = input.size(2), W = input.size(3);
  const int64_t OC = weight.size(0), CG = weight.size(1), KH = weight.size(2), KW = weight.size(3);
  const int64_t OH = (H + 2 * p.padding.h - p.dilation.h * (KH - 1) - 1) / p.stride.h + 1;
  const int64_t OW = (W + 2 * p.padding.w - p.dilation.w * (KW - 1) - 1) / p.stride.w + 1;
  const int64_t OCG = OC / p.groups;
  out_shape = {N, OC, OH, OW};
  std::vector<float> out;
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t o = 0; o < OC; ++o) {
      for (int64_t y = 0; y < OH; ++y) {
        for (int64_t x = 0; x < OW; ++x) {
          double total = bias.defined() ? bias.at({o}) : 0.0F;
          for (int64_t c = 0; c < CG; ++c) {
            for (int64_t i = 0; i < KH; ++i) {
              for (int64_t j = 0; j < KW; ++j) {
                const int64_t iy = y * p.stride.h - p.padding.h + i * p.dilation.h;
                const int64_t ix = x * p.stride.w - p.padding.w + j * p.dilation.w;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                total += static_cast<double>(weight.at({o, c, i, j})) *
                         input.at({n, (o / OCG) * CG + c, iy, ix});
              }
            }
          }
          out.push_back(static_cast<float>(total));
        }
      }
    }
  }
  (void)C;
  return out;
}

struct ConvCase {
  Shape input;
  Shape weight;
  bool bias;
  Conv2dFuncOptions params;
};

}  // namespace

TEST_CASE("conv2d matches a direct convolution for every geometry") {
  const std::vector<ConvCase> cases = {
      {{1, 1, 5, 5}, {1, 1, 3, 3}, true, {}},
      {{3, 2, 7, 6}, {4, 2, 3, 3}, true, {.stride = 2, .padding = 1}},
      {{2, 3, 9, 9}, {5, 3, 1, 1}, false, {}},
      {{2, 2, 8, 7}, {3, 2, 3, 2}, true, {.stride = {2, 1}, .padding = {0, 2}, .dilation = {2, 3}}},
      {{2, 6, 5, 5}, {6, 2, 3, 3}, true, {.padding = 1, .groups = 3}},
      {{1, 4, 6, 6}, {4, 1, 3, 3}, false, {.stride = 3, .padding = 2, .groups = 4}},
      {{2, 1, 4, 4}, {2, 1, 4, 4}, true, {}},
      {{3, 1, 12, 12}, {6, 1, 5, 5}, true, {}},  // stride 1, no padding: the dense im2col path
      {{2, 3, 8, 7}, {4, 3, 3, 2}, false, {}},
  };
  Generator generator(5);
  for (const ConvCase& c : cases) {
    Tensor input = randn(c.input, generator);
    Tensor weight = randn(c.weight, generator);
    Tensor bias = c.bias ? randn({c.weight[0]}, generator) : Tensor();
    Shape expected_shape;
    std::vector<float> expected = reference_conv2d(input, weight, bias, c.params, expected_shape);
    Tensor out = conv2d(input, weight, bias, c.params);
    INFO("input " << fmt::format("{}", c.input) << ", weight " << fmt::format("{}", c.weight));
    CHECK(out.shape() == expected_shape);
    check_close(out, expected, 1e-4F);
  }
}

TEST_CASE("col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>") {
  kernels::Conv2dShape s{};
  s.batch = 2, s.in_channels = 3, s.height = 6, s.width = 5;
  s.out_channels = 2, s.kernel_h = 3, s.kernel_w = 2;
  s.stride_h = 2, s.stride_w = 1, s.pad_h = 1, s.pad_w = 2, s.dilation_h = 1, s.dilation_w = 2;
  s.groups = 1;
  SUBCASE("strided, padded and dilated") {}
  SUBCASE("dense: stride 1, no padding, no dilation") {
    s.stride_h = 1, s.pad_h = 0, s.pad_w = 0, s.dilation_w = 1;
  }
  s.out_h = kernels::conv_out_size(s.height, s.kernel_h, s.stride_h, s.pad_h, s.dilation_h);
  s.out_w = kernels::conv_out_size(s.width, s.kernel_w, s.stride_w, s.pad_w, s.dilation_w);
  Generator generator(8);
  Tensor x = randn({s.batch, s.in_channels, s.height, s.width}, generator);
  Tensor c = randn({kernels::conv2d_columns_size(s)}, generator);
  Tensor columns = zeros({kernels::conv2d_columns_size(s)});
  Tensor folded = zeros(x.shape());
  kernels::im2col(columns.data(), x.data(), s);
  kernels::col2im(folded.data(), c.data(), s);
  double left = 0.0;
  double right = 0.0;
  for (int64_t i = 0; i < columns.numel(); ++i) left += columns.data()[i] * c.data()[i];
  for (int64_t i = 0; i < x.numel(); ++i) right += x.data()[i] * folded.data()[i];
  CHECK(left == doctest::Approx(right).epsilon(1e-5));
}

TEST_CASE("max_pool2d and avg_pool2d match direct loops with padding and strides") {
  Generator generator(9);
  Tensor x = randn({2, 3, 7, 6}, generator);
  Tensor max_out = max_pool2d(x, {.kernel = {3, 2}, .stride = {2, 1}, .padding = {1, 1}});
  Tensor avg_out = avg_pool2d(x, {.kernel = {3, 2}, .stride = {2, 1}, .padding = {1, 1}});
  const int64_t OH = (7 + 2 - 3) / 2 + 1;
  const int64_t OW = (6 + 2 - 2) / 1 + 1;
  REQUIRE(max_out.shape() == Shape{2, 3, OH, OW});
  REQUIRE(avg_out.shape() == Shape{2, 3, OH, OW});
  std::vector<float> expected_max;
  std::vector<float> expected_avg;
  for (int64_t n = 0; n < 2; ++n) {
    for (int64_t c = 0; c < 3; ++c) {
      for (int64_t y = 0; y < OH; ++y) {
        for (int64_t xo = 0; xo < OW; ++xo) {
          float best = -INFINITY;
          float total = 0.0F;
          for (int64_t i = 0; i < 3; ++i) {
            for (int64_t j = 0; j < 2; ++j) {
              const int64_t iy = y * 2 - 1 + i;
              const int64_t ix = xo - 1 + j;
              if (iy < 0 || iy >= 7 || ix < 0 || ix >= 6) continue;
              best = std::max(best, x.at({n, c, iy, ix}));
              total += x.at({n, c, iy, ix});
            }
          }
          expected_max.push_back(best);
          expected_avg.push_back(total / 6.0F);
        }
      }
    }
  }
  check_close(max_out, expected_max);
  check_close(avg_out, expected_avg, 1e-5F);
}

TEST_CASE("conv2d output and gradients match direct sums, split over samples at 1 and 2 threads") {
  // loss = sum(conv2d(x, w, b) * r); then dL/dw[o,c,i,j] = sum r[n,o,y,x] x[n,c,y+i,x+j],
  // dL/dx[n,c,y,x] = sum r[n,o,y-i,x-j] w[o,c,i,j] and dL/db[o] = sum r[n,o,y,x]. A batch of 10
  // with LeNet's second layer (3 samples per chunk) is split into two chunks at 2 threads.
  const int64_t N = 10, C = 6, H = 12, W = 12, OC = 16, K = 5, OH = H - K + 1, OW = W - K + 1;
  Generator generator(21);
  Tensor x = randn({N, C, H, W}, generator).requires_grad_();
  Tensor w = randn({OC, C, K, K}, generator).requires_grad_();
  Tensor b = randn({OC}, generator).requires_grad_();
  Tensor r = randn({N, OC, OH, OW}, generator);
  std::vector<float> expected_x(static_cast<size_t>(N * C * H * W), 0.0F);
  std::vector<float> expected_w(static_cast<size_t>(OC * C * K * K), 0.0F);
  std::vector<float> expected_b(static_cast<size_t>(OC), 0.0F);
  const float* xs = x.data();
  const float* ws = w.data();
  const float* rs = r.data();
  for (int64_t o = 0; o < OC; ++o) {
    for (int64_t c = 0; c < C; ++c) {
      for (int64_t i = 0; i < K; ++i) {
        for (int64_t j = 0; j < K; ++j) {
          double total = 0.0;
          const float weight = ws[((o * C + c) * K + i) * K + j];
          for (int64_t n = 0; n < N; ++n) {
            for (int64_t y = 0; y < OH; ++y) {
              for (int64_t z = 0; z < OW; ++z) {
                const int64_t at = ((n * C + c) * H + y + i) * W + z + j;
                const float grad = rs[((n * OC + o) * OH + y) * OW + z];
                total += static_cast<double>(grad) * xs[at];
                expected_x[static_cast<size_t>(at)] += grad * weight;
                if (c == 0 && i == 0 && j == 0) expected_b[static_cast<size_t>(o)] += grad;
              }
            }
          }
          expected_w[static_cast<size_t>(((o * C + c) * K + i) * K + j)] =
              static_cast<float>(total);
        }
      }
    }
  }
  // 2 threads first: its buffers are then fresh, not the 1-thread run's correct results
  // left in the buffer cache, so a chunk that skips work cannot go unnoticed.
  for (int64_t threads : {2, 1}) {
    INFO("threads " << threads);
    set_num_threads(threads);
    x.zero_grad();
    w.zero_grad();
    b.zero_grad();
    // The forward and the backward each split the batch at 2 threads (the seed r is the
    // gradient of the output itself: no other op runs in between).
    int64_t before = parallel_split_count();
    Tensor out = conv2d(x, w, b, {});
    CHECK(parallel_split_count() - before == threads - 1);
    Shape out_shape;
    check_close(out, reference_conv2d(x, w, b, {}, out_shape), 1e-4F);
    before = parallel_split_count();
    out.backward(r);
    CHECK(parallel_split_count() - before == threads - 1);
    check_close(x.grad(), expected_x, 1e-4F);
    check_close(w.grad(), expected_w, 1e-4F);
    check_close(b.grad(), expected_b, 1e-4F);
    x.zero_grad();  // a frozen weight: only the input gradient, and no columns are kept
    out = conv2d(x, w.detach(), b.detach(), {});
    before = parallel_split_count();
    out.backward(r);
    CHECK(parallel_split_count() - before == threads - 1);
    check_close(x.grad(), expected_x, 1e-4F);
  }
}

TEST_CASE(
    "2x2 max pooling keeps the first maximum and NaN and routes gradients, at 1 and 2 threads") {
  // Even planes take the two-pass 2x2 path; values rounded to halves make many ties.
  // 576 planes: split into two chunks at 2 threads by both the forward (34 planes per block)
  // and the backward (273 planes per chunk)
  const int64_t N = 36, C = 16, H = 24, W = 10;
  Generator generator(33);
  Tensor x = randn({N, C, H, W}, generator);
  std::vector<float> values = x.to_vector();
  for (float& v : values) v = std::round(v * 2.0F) / 2.0F;
  values[5] = NAN;                       // a NaN beating numbers
  values[static_cast<size_t>(W)] = NAN;  // two NaNs in one window: the first one wins
  values[static_cast<size_t>(W + 1)] = NAN;
  x = from_vector(values, {N, C, H, W}).requires_grad_();
  Tensor r = randn({N, C, H / 2, W / 2}, generator);
  std::vector<float> expected_out;
  std::vector<float> expected_grad(values.size(), 0.0F);
  for (int64_t plane = 0; plane < N * C; ++plane) {
    for (int64_t y = 0; y < H / 2; ++y) {
      for (int64_t z = 0; z < W / 2; ++z) {
        int64_t best = plane * H * W + 2 * y * W + 2 * z;
        for (int64_t i = 0; i < 2; ++i) {
          for (int64_t j = 0; j < 2; ++j) {
            const int64_t at = plane * H * W + (2 * y + i) * W + 2 * z + j;
            const float v = values[static_cast<size_t>(at)];
            const float b = values[static_cast<size_t>(best)];
            if (v > b || (std::isnan(v) && !std::isnan(b))) best = at;
          }
        }
        expected_out.push_back(values[static_cast<size_t>(best)]);
        expected_grad[static_cast<size_t>(best)] += r.data()[(plane * (H / 2) + y) * (W / 2) + z];
      }
    }
  }
  for (int64_t threads : {1, 2}) {
    INFO("threads " << threads);
    set_num_threads(threads);
    x.zero_grad();
    int64_t before = parallel_split_count();
    Tensor out = max_pool2d(x, {.kernel = 2});
    CHECK(parallel_split_count() - before == threads - 1);
    std::vector<float> got = out.to_vector();
    REQUIRE(got.size() == expected_out.size());
    for (size_t i = 0; i < got.size(); ++i) {
      INFO("output " << i);
      if (std::isnan(expected_out[i])) {
        CHECK(std::isnan(got[i]));
      } else {
        CHECK(got[i] == expected_out[i]);
      }
    }
    before = parallel_split_count();
    out.backward(r);  // r is the output's gradient: the pooling backward is the only loop
    CHECK(parallel_split_count() - before == threads - 1);
    check_close(x.grad(), expected_grad, 0.0F);
  }
}

TEST_CASE("conv2d and pooling refuse bad shapes and parameters") {
  CHECK_THROWS_WITH_AS(conv2d(zeros({1, 2, 5, 5}), zeros({3, 3, 3, 3})),
                       "conv2d: input [1, 2, 5, 5] has 2 channels but weight [3, 3, 3, 3] with "
                       "groups 1 expects 3",
                       Error);
  CHECK_THROWS_WITH_AS(conv2d(zeros({1, 2, 5, 5}), zeros({3, 2, 3, 3}), zeros({2})),
                       doctest::Contains("bias of shape [2] for weight [3, 2, 3, 3]; expected [3]"),
                       Error);
  CHECK_THROWS_WITH_AS(conv2d(zeros({1, 2, 5, 5}), zeros({3, 2, 3, 3}), {}, {.stride = 0}),
                       doctest::Contains("need stride >= 1"), Error);
  CHECK_THROWS_WITH_AS(conv2d(zeros({1, 4, 5, 5}), zeros({3, 2, 3, 3}), {}, {.groups = 2}),
                       doctest::Contains("groups 2 must divide both input channels 4 and output "
                                         "channels 3"),
                       Error);
  CHECK_THROWS_WITH_AS(max_pool2d(zeros({1, 1, 4, 4}), {.kernel = 2, .padding = 2}),
                       doctest::Contains("padding 2 must be between 0 and half the kernel 2"),
                       Error);
  CHECK_THROWS_WITH_AS(avg_pool2d(zeros({1, 1, 2, 2}), {.kernel = 3}),
                       doctest::Contains("is smaller than the kernel 3"), Error);
}
