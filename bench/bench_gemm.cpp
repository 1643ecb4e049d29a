// bench_gemm: the GEMM throughput minidl reaches and the peak it is measured against. For each
// shape (the products of LeNet-5, the MNIST MLP, the CIFAR-shaped CNN, and cubes up to 1024) it
// times every kernel variant this CPU runs and OpenBLAS, on one thread, and prints one JSON line
// per shape and implementation with GFLOP/s; `--peak` instead measures one core's FMA peak for
// the widest vector unit the CPU has, and `--variant` names the kernel variant sgemm uses. The
// cubes show where OpenBLAS overtakes minidl's kernels (the crossover in core/kernels/blas.cpp).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/kernels/blas.h"
#include "core/kernels/gemm_kernels.h"
#include "core/parallel.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

using namespace minidl;

namespace {

// Median seconds per call of `body`, over `samples` timings of enough calls to fill ~2 ms each.
double median_seconds(int samples, const std::function<void()>& body) {
  body();
  const auto once_start = std::chrono::steady_clock::now();
  body();
  const double once =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - once_start).count();
  const int calls = std::max(1, static_cast<int>(2e-3 / std::max(once, 1e-9)));
  std::vector<double> times;
  for (int s = 0; s < samples; ++s) {
    const auto start = std::chrono::steady_clock::now();
    for (int c = 0; c < calls; ++c) body();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / calls);
  }
  std::nth_element(times.begin(), times.begin() + samples / 2, times.end());
  return times[static_cast<size_t>(samples / 2)];
}

#if defined(__x86_64__)
// Seconds for `iterations` rounds of 12 independent 512-bit FMAs (12 x 32 flops per round).
__attribute__((target("avx512f"))) double time_fma_avx512(int64_t iterations) {
  __m512 acc[12];
  for (auto& a : acc) a = _mm512_set1_ps(1.0F);
  const __m512 x = _mm512_set1_ps(0.999999F);
  const __m512 y = _mm512_set1_ps(1e-7F);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (auto& a : acc) a = _mm512_fmadd_ps(a, x, y);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  __m512 total = acc[0];
  for (int i = 1; i < 12; ++i) total = _mm512_add_ps(total, acc[i]);
  float lanes[16];
  _mm512_storeu_ps(lanes, total);
  volatile float sink = lanes[0];
  (void)sink;
  return seconds;
}

// The same with 256-bit FMAs (12 x 16 flops per round).
__attribute__((target("avx2,fma"))) double time_fma_avx2(int64_t iterations) {
  __m256 acc[12];
  for (auto& a : acc) a = _mm256_set1_ps(1.0F);
  const __m256 x = _mm256_set1_ps(0.999999F);
  const __m256 y = _mm256_set1_ps(1e-7F);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (auto& a : acc) a = _mm256_fmadd_ps(a, x, y);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  float lanes[8];
  __m256 total = acc[0];
  for (int i = 1; i < 12; ++i) total = _mm256_add_ps(total, acc[i]);
  _mm256_storeu_ps(lanes, total);
  volatile float sink = lanes[0];
  (void)sink;
  return seconds;
}
#endif

// One core's FMA peak in GFLOP/s for the widest unit the CPU has (best of `samples`).
void print_peak(int samples) {
#if defined(__x86_64__)
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx512 || avx2) {
    constexpr int64_t kIterations = 20'000'000;
    const double flops_per_round = avx512 ? 12.0 * 32.0 : 12.0 * 16.0;
    double best = 0.0;
    for (int s = 0; s < samples; ++s) {
      const double seconds = avx512 ? time_fma_avx512(kIterations) : time_fma_avx2(kIterations);
      best = std::max(best, flops_per_round * static_cast<double>(kIterations) / seconds / 1e9);
    }
    fmt::print("{{\"peak\": \"{}\", \"gflops\": {:.1f}}}\n", avx512 ? "avx512" : "avx2", best);
    return;
  }
#endif
  (void)samples;
  fmt::print("{{\"peak\": \"none\", \"gflops\": 0}}\n");
}

struct Shape {
  const char* what;
  int64_t m, n, k;
  bool trans_a, trans_b;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"GEMM throughput of minidl's kernels and OpenBLAS, and the FMA peak"};
  int samples = 7;
  bool peak = false;
  bool cubes = false;
  bool variant = false;
  app.add_option("--samples", samples)->check(CLI::PositiveNumber);
  app.add_flag("--peak", peak, "measure one core's FMA peak instead");
  app.add_flag("--cubes", cubes, "only the square products 64..1024 (the crossover)");
  app.add_flag("--variant", variant, "print the kernel variant sgemm uses on this CPU instead");
  CLI11_PARSE(app, argc, argv);
  set_num_threads(1);
  if (variant) {
    fmt::print("{}\n", kernels::best_gemm_variant().name);
    return 0;
  }
  if (peak) {
    print_peak(samples);
    return 0;
  }
  std::vector<Shape> shapes = {
      {"lenet conv1 fwd", 6, 576, 25, false, false},
      {"lenet conv1 wgrad", 6, 25, 576, false, true},
      {"lenet conv2 fwd", 16, 64, 150, false, false},
      {"lenet conv2 wgrad^T", 150, 16, 64, false, false},
      {"lenet conv2 dgrad", 150, 64, 16, true, false},
      {"lenet fc1 fwd", 64, 120, 256, false, true},
      {"mlp fc1 fwd", 64, 128, 784, false, true},
      {"mlp fc1 wgrad", 128, 784, 64, true, false},
      {"cifar conv2 fwd", 32, 1024, 288, false, false},
      {"cifar conv2 wgrad^T", 288, 32, 1024, false, false},
      {"cifar conv2 dgrad", 288, 1024, 32, true, false},
      {"cifar conv4 fwd", 64, 256, 576, false, false},
      {"cifar conv4 wgrad^T", 576, 64, 256, false, false},
      {"cifar conv4 dgrad", 576, 256, 64, true, false},
  };
  if (cubes) shapes.clear();
  for (int64_t size : {64, 128, 192, 256, 320, 384, 512, 768, 1024}) {
    shapes.push_back({"cube", size, size, size, false, false});
  }
  for (const Shape& s : shapes) {
    const int64_t rows_a = s.trans_a ? s.k : s.m, cols_a = s.trans_a ? s.m : s.k;
    const int64_t rows_b = s.trans_b ? s.n : s.k, cols_b = s.trans_b ? s.k : s.n;
    std::vector<float> A(static_cast<size_t>(rows_a * cols_a), 0.5F);
    std::vector<float> B(static_cast<size_t>(rows_b * cols_b), 0.25F);
    std::vector<float> C(static_cast<size_t>(s.m * s.n), 0.0F);
    std::vector<const kernels::GemmVariant*> impls;
    for (const kernels::GemmVariant& v : kernels::gemm_variants()) impls.push_back(&v);
    impls.push_back(nullptr);
    for (const kernels::GemmVariant* v : impls) {
      const double seconds = median_seconds(samples, [&] {
        kernels::sgemm_with(v, s.trans_a, s.trans_b, s.m, s.n, s.k, 1.0F, A.data(), cols_a,
                            B.data(), cols_b, 0.0F, C.data(), s.n);
      });
      const double flops = 2.0 * static_cast<double>(s.m * s.n * s.k);
      fmt::print(
          "{{\"shape\": \"{}\", \"m\": {}, \"n\": {}, \"k\": {}, \"impl\": \"{}\", "
          "\"microseconds\": {:.2f}, \"gflops\": {:.1f}, \"sgemm_uses\": \"{}\"}}\n",
          s.what, s.m, s.n, s.k, v != nullptr ? v->name : "openblas", seconds * 1e6,
          flops / seconds / 1e9,
          kernels::gemm_uses_openblas(s.m, s.n, s.k) ? "openblas" : "minidl");
    }
  }
  return 0;
}
