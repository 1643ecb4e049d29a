// A small persistent thread pool behind parallel_for. Between jobs a worker busy-waits briefly
// (kSpin), then sleeps on a condition variable, so an idle pool uses no CPU. OpenBLAS is kept
// single-threaded (kernels/blas.cpp), so this is the only pool: large GEMMs are split across it
// like every other parallel loop.
#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.h"

namespace minidl {

namespace {

thread_local bool inside_parallel_region = false;

// parallel_split_count's counter.
std::atomic<int64_t> split_count{0};

// How long a thread busy-waits for the next job (workers) or for the other chunks (the caller)
// before it sleeps on a condition variable.
constexpr std::chrono::microseconds kSpin{200};

class ThreadPool {
 public:
  static ThreadPool& instance() {
    static ThreadPool pool;
    return pool;
  }

  int64_t size() const { return threads_; }

  void resize(int64_t threads) {
    stop_workers();
    threads_ = threads;
    // New workers wait for the job after the current one (generation_ is stable here: resize
    // is never called from inside a parallel_for).
    const uint64_t current = generation_.load();
    for (int64_t i = 1; i < threads_; ++i) {
      workers_.emplace_back([this, i, current] { work(i, current); });
    }
  }

  // Runs task(chunk) for chunk = 0..threads-1; chunk 0 on the calling thread.
  void run(const std::function<void(int64_t)>& task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      pending_.store(threads_ - 1);
      first_error_ = nullptr;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    run_chunk(task, 0);
    spin_while([this] { return pending_.load() != 0; });
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_.load() == 0; });
    task_ = nullptr;
    if (first_error_) std::rethrow_exception(first_error_);
  }

  ~ThreadPool() { stop_workers(); }

 private:
  ThreadPool() { resize(std::max<int64_t>(1, std::thread::hardware_concurrency())); }

  void run_chunk(const std::function<void(int64_t)>& task, int64_t chunk) {
    inside_parallel_region = true;
    try {
      task(chunk);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!first_error_) first_error_ = std::current_exception();
    }
    inside_parallel_region = false;
  }

  void work(int64_t chunk, uint64_t seen) {
    while (true) {
      spin_while([&] { return generation_.load() == seen && !stopping_.load(); });
      const std::function<void(int64_t)>* task = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_.load() || generation_.load() != seen; });
        if (stopping_.load()) return;
        seen = generation_.load();
        task = task_;
      }
      run_chunk(*task, chunk);
      if (pending_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  // Busy-waits while `waiting()` holds, for at most kSpin. Training issues parallel loops every
  // few tens of microseconds; a thread that went to sleep in between would have to be woken by
  // the kernel each time, which costs more than the loop's work on a virtual machine whose idle
  // cores are descheduled. After kSpin without work the threads sleep (no spinning while idle).
  template <class Waiting>
  static void spin_while(Waiting waiting) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    while (waiting() && std::chrono::steady_clock::now() < until) {
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_.store(true);
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
    stopping_.store(false);
  }

  int64_t threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int64_t)>* task_ = nullptr;
  // Atomic so that spinning threads can read them without the mutex; written under it.
  std::atomic<int64_t> pending_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  std::exception_ptr first_error_;
};

}  // namespace

void set_num_threads(int64_t n) {
  MINIDL_CHECK(n >= 1, "set_num_threads: need at least 1 thread, got {}", n);
  MINIDL_CHECK(!inside_parallel_region, "set_num_threads: cannot be called inside parallel_for");
  ThreadPool::instance().resize(n);
}

int64_t num_threads() { return ThreadPool::instance().size(); }

int64_t parallel_chunks(int64_t length, int64_t grain) {
  const int64_t positive_grain = std::max<int64_t>(grain, 1);
  const int64_t wanted = (std::max<int64_t>(length, 1) + positive_grain - 1) / positive_grain;
  return std::min(ThreadPool::instance().size(), wanted);
}

int64_t parallel_split_count() { return split_count.load(); }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& body) {
  if (end <= begin) return;
  const int64_t length = end - begin;
  const int64_t chunks = parallel_chunks(length, grain);
  if (chunks <= 1 || inside_parallel_region) {
    body(begin, end);
    return;
  }
  split_count.fetch_add(1);
  const int64_t per_chunk = (length + chunks - 1) / chunks;
  ThreadPool::instance().run([&](int64_t chunk) {
    const int64_t chunk_begin = begin + chunk * per_chunk;
    const int64_t chunk_end = std::min(end, chunk_begin + per_chunk);
    if (chunk < chunks && chunk_begin < chunk_end) body(chunk_begin, chunk_end);
  });
}

}  // namespace minidl
