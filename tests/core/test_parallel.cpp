// The thread knob and parallel_for.
#include <doctest/doctest.h>

#include <atomic>
#include <utility>
#include <vector>

#include "minidl.h"

using namespace minidl;

TEST_CASE("parallel_for covers every index exactly once at 1 and 2 threads") {
  for (int64_t threads : {1, 2}) {
    set_num_threads(threads);
    CHECK(num_threads() == threads);
    std::vector<std::atomic<int>> hits(1000);
    const int64_t before = parallel_split_count();
    parallel_for(0, 1000, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) hits[static_cast<size_t>(i)]++;
    });
    CHECK(parallel_split_count() - before == threads - 1);
    for (const auto& h : hits) CHECK(h.load() == 1);
  }
}

TEST_CASE("the chunk count is min(threads, ceil(length / grain))") {
  set_num_threads(2);
  CHECK(parallel_chunks(10, 100) == 1);
  CHECK(parallel_chunks(100, 100) == 1);
  CHECK(parallel_chunks(101, 100) == 2);  // one index past the grain is worth a second thread
  CHECK(parallel_chunks(300, 150) == 2);
  CHECK(parallel_chunks(301, 151) == 2);  // ceil(301 / 2) as the grain: one chunk per thread
  CHECK(parallel_chunks(1000, 1) == 2);
  CHECK(parallel_chunks(0, 1) == 1);
  CHECK(parallel_chunks(5, 0) == 2);  // a grain below 1 counts as 1
  set_num_threads(1);
  CHECK(parallel_chunks(1000, 1) == 1);
  set_num_threads(2);
}

TEST_CASE("an odd range split by half its length rounded up runs as two chunks") {
  // The split sgemm and the convolutions ask for: grain = ceil(length / threads).
  set_num_threads(2);
  std::vector<std::pair<int64_t, int64_t>> chunks(2, {-1, -1});
  const int64_t before = parallel_split_count();
  parallel_for(10, 311, 151, [&](int64_t begin, int64_t end) {
    chunks[begin == 10 ? 0 : 1] = {begin, end};
  });
  CHECK(parallel_split_count() - before == 1);
  CHECK(chunks[0] == std::pair<int64_t, int64_t>{10, 161});
  CHECK(chunks[1] == std::pair<int64_t, int64_t>{161, 311});
}

TEST_CASE("ranges below the grain size run inline as one chunk") {
  set_num_threads(2);
  int calls = 0;  // not atomic: a second thread touching it would be a data race (TSan/ASan)
  parallel_for(0, 10, 100, [&](int64_t begin, int64_t end) {
    ++calls;
    CHECK(begin == 0);
    CHECK(end == 10);
  });
  CHECK(calls == 1);
}

TEST_CASE("an exception in a chunk reaches the caller") {
  set_num_threads(2);
  CHECK_THROWS_WITH_AS(parallel_for(0, 100, 1,
                                    [](int64_t begin, int64_t) {
                                      MINIDL_CHECK(begin == 0, "chunk at {} failed", begin);
                                    }),
                       "chunk at 50 failed", Error);
  std::atomic<int64_t> total{0};
  parallel_for(0, 100, 1, [&](int64_t begin, int64_t end) { total += end - begin; });
  CHECK(total == 100);  // the pool still works afterwards
}

TEST_CASE("set_num_threads refuses zero threads") {
  CHECK_THROWS_WITH_AS(set_num_threads(0), "set_num_threads: need at least 1 thread, got 0", Error);
}

TEST_CASE("long elementwise ops give the same values at 1 and 2 threads") {
  // 3 x 2^16 + 1 elements: above the elementwise grain, so 2 threads split all three loops of
  // the forward (an odd length, so the chunks differ in size).
  const int64_t length = 3 * (1 << 16) + 1;
  Generator generator(4);
  Tensor a = randn({length}, generator);
  Tensor b = randn({length}, generator);
  std::vector<std::vector<float>> results;
  for (int64_t threads : {1, 2}) {
    set_num_threads(threads);
    Tensor x = a.detach().requires_grad_();
    const int64_t before = parallel_split_count();
    // map, map2 (same shape), map2 (a one-element tensor; `+ 2.0F` would take map)
    Tensor y = relu(x) * b + full({1}, 2.0F);
    CHECK(parallel_split_count() - before == 3 * (threads - 1));
    sum(y).backward();
    std::vector<float> values = y.to_vector();
    std::vector<float> grads = x.grad().to_vector();
    values.insert(values.end(), grads.begin(), grads.end());
    results.push_back(values);
  }
  CHECK(results[0] == results[1]);
  const std::vector<float> va = a.to_vector();
  const std::vector<float> vb = b.to_vector();
  for (size_t i = 0; i < va.size(); i += 997) {
    CHECK(results[1][i] == (va[i] > 0.0F ? va[i] : 0.0F) * vb[i] + 2.0F);
  }
}

TEST_CASE("changing the thread count after parallel work keeps the pool working") {
  // Workers created by a later set_num_threads must wait for the next job, not rerun an old one.
  for (int64_t threads : {2, 1, 2, 2}) {
    set_num_threads(threads);
    std::atomic<int64_t> total{0};
    parallel_for(0, 100, 1, [&](int64_t begin, int64_t end) { total += end - begin; });
    CHECK(total == 100);
  }
}
