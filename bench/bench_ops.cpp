// bench_ops: op-level micro-benchmarks at the LeNet-5 / MLP shapes (batch 64), one JSON line per
// op with the median time of repeated runs. bench/torch_ops.py times the same ops in PyTorch;
// scripts/bench.sh prints them side by side. The GEMM rows also time a raw cblas_sgemm call
// (OpenBLAS on one thread, as minidl keeps it) at the same shape, to show what minidl's matmul
// path adds on top of BLAS and, at 2 threads, what splitting it across minidl's pool gains.
#include <cblas.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include "minidl.h"

using namespace minidl;

namespace {

// Median seconds of `repeats` calls of `body` after a warm-up call.
double median_seconds(int repeats, const std::function<void()>& body) {
  body();
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    body();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + repeats / 2, times.end());
  return times[static_cast<size_t>(repeats / 2)];
}

void report(const std::string& op, const std::string& shape, double seconds) {
  fmt::print(
      "{{\"framework\": \"minidl\", \"op\": \"{}\", \"shape\": \"{}\", \"microseconds\": "
      "{:.2f}}}\n",
      op, shape, seconds * 1e6);
}

Tensor param(const Shape& shape, Generator& g) {
  return (randn(shape, g) * 0.1F).detach().requires_grad_();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"minidl op-level micro-benchmarks"};
  int64_t threads = 1;
  int repeats = 50;
  app.add_option("--threads", threads)->check(CLI::PositiveNumber);
  app.add_option("--repeats", repeats)->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  set_num_threads(threads);
  openblas_set_num_threads(1);  // the raw baseline runs OpenBLAS on one thread, as minidl does
  Generator g(0);

  // GEMMs of the MLP and LeNet fully connected layers: minidl matmul vs raw sgemm.
  struct Gemm {
    int64_t m, k, n;
  };
  // The last two are one sample's convolution GEMMs of LeNet's two conv layers.
  for (const Gemm& s : {Gemm{64, 784, 128}, Gemm{64, 128, 10}, Gemm{64, 256, 120}, Gemm{6, 25, 576},
                        Gemm{16, 150, 64}}) {
    Tensor a = randn({s.m, s.k}, g);
    Tensor b = randn({s.k, s.n}, g);
    Tensor c = Tensor::empty({s.m, s.n});
    const std::string shape = fmt::format("{}x{}x{}", s.m, s.k, s.n);
    report("matmul", shape, median_seconds(repeats, [&] { matmul(a, b); }));
    report("raw_sgemm", shape, median_seconds(repeats, [&] {
             cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(s.m),
                         static_cast<int>(s.n), static_cast<int>(s.k), 1.0F, a.data(),
                         static_cast<int>(s.k), b.data(), static_cast<int>(s.n), 0.0F, c.data(),
                         static_cast<int>(s.n));
           }));
  }

  // conv2d forward and forward+backward at LeNet's two layers.
  struct Conv {
    int64_t in, out, size;
  };
  for (const Conv& s : {Conv{1, 6, 28}, Conv{6, 16, 12}}) {
    Tensor x = randn({64, s.in, s.size, s.size}, g);
    Tensor w = param({s.out, s.in, 5, 5}, g);
    Tensor b = param({s.out}, g);
    const std::string shape = fmt::format("64x{}x{}x{} k5 -> {}", s.in, s.size, s.size, s.out);
    {
      NoGradGuard no_grad;
      report("conv2d_forward", shape, median_seconds(repeats, [&] { conv2d(x, w, b, {}); }));
    }
    report("conv2d_forward_backward", shape, median_seconds(repeats, [&] {
             sum(conv2d(x, w, b, {})).backward();
             w.zero_grad();
             b.zero_grad();
           }));
  }

  // max-pool 2x2 forward+backward at LeNet's first pool; ReLU forward+backward there too.
  Tensor act = randn({64, 6, 24, 24}, g).requires_grad_();
  report("max_pool2d_forward_backward", "64x6x24x24 k2", median_seconds(repeats, [&] {
           sum(max_pool2d(act, {.kernel = 2})).backward();
           act.zero_grad();
         }));
  report("relu_forward_backward", "64x6x24x24", median_seconds(repeats, [&] {
           sum(relu(act)).backward();
           act.zero_grad();
         }));

  // Cross-entropy forward+backward on [64, 10] logits.
  Tensor logits = randn({64, 10}, g).requires_grad_();
  Tensor labels = Tensor::empty({64});
  for (int64_t i = 0; i < 64; ++i) labels.data()[i] = static_cast<float>(i % 10);
  report("cross_entropy_forward_backward", "64x10", median_seconds(repeats, [&] {
           nn::cross_entropy(logits, labels).backward();
           logits.zero_grad();
         }));

  // One SGD-momentum step over LeNet-5's 44,426 parameters.
  std::vector<Tensor> params;
  for (const Shape& shape : std::vector<Shape>{{6, 1, 5, 5},
                                               {6},
                                               {16, 6, 5, 5},
                                               {16},
                                               {120, 256},
                                               {120},
                                               {84, 120},
                                               {84},
                                               {10, 84},
                                               {10}}) {
    Tensor p = param(shape, g);
    p.set_grad(randn(shape, g));
    params.push_back(p);
  }
  optim::SGD sgd(params, {.lr = 0.01, .momentum = 0.9});
  report("sgd_momentum_step", "lenet5 44426 params", median_seconds(repeats, [&] { sgd.step(); }));
  return 0;
}
