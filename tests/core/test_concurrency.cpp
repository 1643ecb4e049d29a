// Independent callers of one process: several std::threads, each running its own ops and training
// its own model, get the bits they get alone, while another thread changes the thread count;
// nested parallel_for runs inline; a worker that cannot start is a minidl::Error. CI also runs
// this suite under ThreadSanitizer (.ci/run). The sizes are small but above the grains, so that
// the GEMMs, convolutions and their backward split at 2 threads (minidl's own GEMM: OpenBLAS is
// used only above 512^3 and is not instrumented).
#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "core/kernels/blas.h"
#include "core/kernels/gemm_kernels.h"
#include "minidl.h"

using namespace minidl;

namespace {

// Each model's parameters after a few SGD steps, then each step's loss.
using Bits = std::vector<float>;

Bits train(nn::Module& model, const Tensor& inputs, const Tensor& targets, int steps) {
  optim::SGD sgd(model.parameters(), {.lr = 0.05, .momentum = 0.9});
  Bits losses;
  for (int step = 0; step < steps; ++step) {
    sgd.zero_grad();
    Tensor loss = nn::cross_entropy(model(inputs), targets);
    loss.backward();
    sgd.step();
    losses.push_back(loss.item());
  }
  Bits bits;
  for (const Tensor& parameter : model.parameters()) {
    const Bits values = parameter.to_vector();
    bits.insert(bits.end(), values.begin(), values.end());
  }
  bits.insert(bits.end(), losses.begin(), losses.end());
  return bits;
}

Tensor class_targets(int64_t batch) {
  std::vector<float> labels;
  for (int64_t i = 0; i < batch; ++i) labels.push_back(static_cast<float>(i % 10));
  return from_vector(labels);
}

// An MLP whose first layer is a 64 x 256 x 64 product (2 MFLOP: split when the tests lower
// sgemm's split size to 1 MFLOP, as the test cases below do).
Bits train_mlp(uint64_t seed) {
  Generator generator(seed);
  nn::Sequential model(nn::Linear({.in = 256, .out = 64}, generator), nn::ReLU(),
                       nn::Linear({.in = 64, .out = 10}, generator));
  return train(model, randn({64, 256}, generator), class_targets(64), 4);
}

// A LeNet-like net on 8 images of 28x28: both convolutions and their backward split by samples.
Bits train_lenet(uint64_t seed) {
  Generator generator(seed);
  nn::Sequential model(nn::Conv2d({.in = 1, .out = 8, .kernel = 5}, generator), nn::ReLU(),
                       nn::MaxPool2d({.kernel = 2}),
                       nn::Conv2d({.in = 8, .out = 16, .kernel = 5}, generator), nn::ReLU(),
                       nn::MaxPool2d({.kernel = 2}), nn::Flatten(),
                       nn::Linear({.in = 256, .out = 10}, generator));
  return train(model, randn({8, 1, 28, 28}, generator), class_targets(8), 3);
}

// Runs every job on its own thread at once, while one more thread switches the thread count
// between 1, 2 and 3 until they are done.
std::vector<Bits> run_concurrently(const std::vector<std::function<Bits()>>& jobs) {
  std::vector<Bits> results(jobs.size());
  std::atomic<size_t> running{jobs.size()};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < jobs.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = jobs[i]();
      running.fetch_sub(1);
    });
  }
  std::thread resizer([&] {
    for (int64_t n = 0; running.load() != 0; ++n) set_num_threads(1 + n % 3);
  });
  for (std::thread& thread : threads) thread.join();
  resizer.join();
  set_num_threads(2);
  return results;
}

}  // namespace

TEST_CASE("an MLP and a LeNet-like net train to the same bits at 1, 2 and 3 threads") {
  const double default_split = kernels::set_gemm_split_flops(1e6);
  set_num_threads(1);
  const Bits mlp_alone = train_mlp(1);
  const Bits lenet_alone = train_lenet(2);
  for (int64_t threads : {2, 3}) {
    set_num_threads(threads);
    const int64_t before = parallel_split_count();
    CHECK(train_mlp(1) == mlp_alone);
    const int64_t mlp_splits = parallel_split_count() - before;
    CHECK(train_lenet(2) == lenet_alone);
    CHECK(mlp_splits > 0);  // the sizes really split, so the runs differ in their chunks
    CHECK(parallel_split_count() - before > mlp_splits);
  }
  set_num_threads(2);
  kernels::set_gemm_split_flops(default_split);
}

TEST_CASE("every GEMM variant gives the same bits at 1, 2 and 3 threads, by columns and rows") {
  // Each element of C sums over K in the same order in any block of a split, so the bits of a
  // product do not depend on the thread count. 24 x 301 x 80 is above a split size of 1 MFLOP;
  // A @ B^T with K = 80 takes the dot-product kernels. (minidl's own variants only: OpenBLAS runs
  // products above 512^3 and is not instrumented for ThreadSanitizer.)
  const double default_split = kernels::set_gemm_split_flops(1e6);
  Generator generator(9);
  const std::vector<float> A = randn({301 * 80}, generator).to_vector();
  const std::vector<float> B = randn({301 * 80}, generator).to_vector();
  for (const kernels::GemmVariant& variant : kernels::gemm_variants()) {
    for (bool trans_a : {false, true}) {
      for (bool trans_b : {false, true}) {
        for (auto [M, N] : {std::pair<int64_t, int64_t>{24, 301}, {301, 24}}) {
          const int64_t K = 80;
          std::vector<std::vector<float>> results;
          const int64_t before = parallel_split_count();
          for (int64_t threads : {1, 2, 3}) {
            set_num_threads(threads);
            std::vector<float> C(static_cast<size_t>(M * N));
            kernels::sgemm_with(&variant, trans_a, trans_b, M, N, K, 1.0F, A.data(),
                                trans_a ? M : K, B.data(), trans_b ? K : N, 0.0F, C.data(), N);
            results.push_back(C);
          }
          INFO(variant.name << " trans_a=" << trans_a << " trans_b=" << trans_b << " M=" << M);
          CHECK(results[0] == results[1]);
          CHECK(results[0] == results[2]);
          CHECK(parallel_split_count() - before == 2);  // split at 2 and at 3 threads
        }
      }
    }
  }
  set_num_threads(2);
  kernels::set_gemm_split_flops(default_split);
}

TEST_CASE("threads training their own models get the bits they get alone") {
  const double default_split = kernels::set_gemm_split_flops(1e6);
  set_num_threads(2);
  const std::vector<std::function<Bits()>> jobs = {
      [] { return train_mlp(1); }, [] { return train_lenet(2); }, [] { return train_mlp(3); },
      [] { return train_lenet(4); }};
  std::vector<Bits> alone;
  for (const auto& job : jobs) alone.push_back(job());
  for (int round = 0; round < 2; ++round) CHECK(run_concurrently(jobs) == alone);
  kernels::set_gemm_split_flops(default_split);
}

TEST_CASE("threads running their own ops get the bits they get alone") {
  // Elementwise ops above the grain (2^16 + 1 elements), a GEMM that splits (96 x 128 x 96,
  // 2.4 MFLOP, with the split size lowered to 1 MFLOP), and a reduction.
  const double default_split = kernels::set_gemm_split_flops(1e6);
  auto ops = [](uint64_t seed) {
    Generator generator(seed);
    Tensor a = randn({(1 << 16) + 1}, generator).requires_grad_();
    Tensor m = randn({96, 128}, generator).requires_grad_();
    Tensor y = sum(relu(a) * a + 1.0F) + sum(matmul(m, transpose(m, 0, 1)) * 0.5F);
    y.backward();
    Bits bits = a.grad().to_vector();
    const Bits m_grad = m.grad().to_vector();
    bits.insert(bits.end(), m_grad.begin(), m_grad.end());
    bits.push_back(y.item());
    return bits;
  };
  set_num_threads(2);
  const std::vector<std::function<Bits()>> jobs = {[&] { return ops(5); }, [&] { return ops(6); },
                                                   [&] { return ops(7); }};
  std::vector<Bits> alone;
  for (const auto& job : jobs) alone.push_back(job());
  for (int round = 0; round < 3; ++round) CHECK(run_concurrently(jobs) == alone);
  kernels::set_gemm_split_flops(default_split);
}

TEST_CASE("parallel_for from several threads covers each index once while the count changes") {
  set_num_threads(2);
  constexpr int kCallers = 3;
  constexpr int64_t kLength = 1000;
  std::vector<std::vector<std::atomic<int>>> hits(kCallers);
  for (auto& caller_hits : hits) caller_hits = std::vector<std::atomic<int>>(kLength);
  std::atomic<int> running{kCallers};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int call = 0; call < 50; ++call) {
        parallel_for(0, kLength, 1, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) hits[c][static_cast<size_t>(i)]++;
        });
      }
      running.fetch_sub(1);
    });
  }
  std::thread resizer([&] {
    for (int64_t n = 0; running.load() != 0; ++n) set_num_threads(1 + n % 2);
  });
  for (std::thread& caller : callers) caller.join();
  resizer.join();
  set_num_threads(2);
  for (const auto& caller_hits : hits) {
    for (const auto& h : caller_hits) CHECK(h.load() == 50);
  }
}

TEST_CASE("a parallel_for nested in a chunk runs inline as one chunk") {
  set_num_threads(2);
  std::atomic<int> outer_chunks{0};
  std::atomic<int> inner_chunks{0};
  std::atomic<int64_t> inner_total{0};
  const int64_t before = parallel_split_count();
  parallel_for(0, 2, 1, [&](int64_t, int64_t) {
    outer_chunks++;
    parallel_for(0, 1000, 1, [&](int64_t begin, int64_t end) {
      inner_chunks++;
      inner_total += end - begin;
    });
  });
  CHECK(outer_chunks == 2);
  CHECK(inner_chunks == 2);  // one per outer chunk, on the thread that ran it
  CHECK(inner_total == 2000);
  CHECK(parallel_split_count() - before == 1);
  CHECK_THROWS_WITH_AS(parallel_for(0, 2, 1, [](int64_t, int64_t) { set_num_threads(1); }),
                       "set_num_threads: cannot be called inside parallel_for", Error);
}

TEST_CASE("a worker thread that cannot start is a minidl::Error and 1 thread remains") {
  set_num_threads(2);
  detail::fail_thread_start_after(1);  // the first worker starts, the second fails
  CHECK_THROWS_WITH_AS(set_num_threads(4),
                       "set_num_threads(4): could not start worker thread 2 of 3 (Resource "
                       "temporarily unavailable); the pool runs on 1 thread",
                       Error);
  CHECK(num_threads() == 1);
  std::atomic<int64_t> total{0};
  parallel_for(0, 100, 1, [&](int64_t begin, int64_t end) { total += end - begin; });
  CHECK(total == 100);
  set_num_threads(2);  // the failure was once: the next resize starts its workers
  CHECK(num_threads() == 2);
  const int64_t before = parallel_split_count();
  parallel_for(0, 100, 1, [&](int64_t begin, int64_t end) { total += end - begin; });
  CHECK(total == 200);
  CHECK(parallel_split_count() - before == 1);
}
