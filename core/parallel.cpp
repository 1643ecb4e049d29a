// A small persistent thread pool behind parallel_for. Between jobs a worker busy-waits briefly
// (kSpin), then sleeps on a condition variable, so an idle pool uses no CPU. OpenBLAS is kept
// single-threaded (kernels/blas.cpp), so this is the only pool: large GEMMs are split across it
// like every other parallel loop.
//
// The pool runs one job at a time. A parallel_for takes the pool only when it is free (a
// try_lock of job_mutex_); a call from another thread while a job runs, or from inside a chunk,
// runs inline on its own thread instead of waiting, so no caller can block another and nothing
// can deadlock. set_num_threads waits for the running job, then replaces the workers.
#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "core/error.h"

namespace minidl {

namespace {

thread_local bool inside_parallel_region = false;

// parallel_split_count's counter.
std::atomic<int64_t> split_count{0};

// detail::fail_thread_start_after's countdown: the worker starts left before one fails (-1: none
// fails).
std::atomic<int64_t> starts_before_failure{-1};

// How long a thread busy-waits for the next job (workers) or for the other chunks (the caller)
// before it sleeps on a condition variable.
constexpr std::chrono::microseconds kSpin{200};

class ThreadPool {
 public:
  static ThreadPool& instance() {
    static ThreadPool pool;
    return pool;
  }

  int64_t size() const { return threads_.load(); }

  // Waits for the running job, then replaces the workers by threads - 1 new ones. When a worker
  // cannot be started, the ones already started are stopped, the pool keeps 1 thread (the
  // caller's) and the failure is a minidl::Error.
  void resize(int64_t threads) {
    std::lock_guard<std::mutex> job(job_mutex_);
    stop_workers();
    threads_.store(1);
    // New workers wait for the job after the current one (generation_ is stable here: no job
    // runs while job_mutex_ is held).
    const uint64_t current = generation_.load();
    for (int64_t i = 1; i < threads; ++i) {
      try {
        if (starts_before_failure.load() >= 0 && starts_before_failure.fetch_sub(1) == 0) {
          throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
        }
        workers_.emplace_back([this, i, current] { work(i, current); });
      } catch (const std::system_error& error) {
        stop_workers();
        throw Error(fmt::format(
            "set_num_threads({}): could not start worker thread {} of {} ({}); the pool runs on 1 "
            "thread",
            threads, i, threads - 1, error.what()));
      }
    }
    threads_.store(threads);
  }

  // Runs task(chunk) for chunk = 0..chunks-1 when the pool is free and has more than one thread:
  // chunk c on participant c % threads (participant 0 is the calling thread). Returns false,
  // having run nothing, when another thread's job holds the pool or it has 1 thread.
  bool try_run(int64_t chunks, const std::function<void(int64_t)>& task) {
    std::unique_lock<std::mutex> job(job_mutex_, std::try_to_lock);
    if (!job.owns_lock() || threads_.load() == 1) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      chunks_ = chunks;
      pending_.store(threads_.load() - 1);
      first_error_ = nullptr;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    run_chunks(0);
    spin_while([this] { return pending_.load() != 0; });
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_.load() == 0; });
    task_ = nullptr;
    if (first_error_) std::rethrow_exception(first_error_);
    return true;
  }

  ~ThreadPool() { stop_workers(); }

 private:
  // The machine's core count; when its workers cannot start, a warning and 1 thread (an error
  // here would surface from whichever op first touched the pool).
  ThreadPool() {
    try {
      resize(std::max<int64_t>(1, std::thread::hardware_concurrency()));
    } catch (const Error& error) {
      std::fprintf(stderr, "minidl: warning: %s\n", error.what());
    }
  }

  // The chunks of the current job that fall to `participant`.
  void run_chunks(int64_t participant) {
    inside_parallel_region = true;
    try {
      for (int64_t chunk = participant; chunk < chunks_; chunk += threads_.load()) {
        (*task_)(chunk);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!first_error_) first_error_ = std::current_exception();
    }
    inside_parallel_region = false;
  }

  void work(int64_t participant, uint64_t seen) {
    while (true) {
      spin_while([&] { return generation_.load() == seen && !stopping_.load(); });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_.load() || generation_.load() != seen; });
        if (stopping_.load()) return;
        seen = generation_.load();
      }
      run_chunks(participant);
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

  // Called with job_mutex_ held (or from the destructor).
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

  // Held by the thread whose job runs on the pool, and by resize.
  std::mutex job_mutex_;
  // Atomic so that num_threads() can read it from any thread; written with job_mutex_ held.
  std::atomic<int64_t> threads_{1};
  std::vector<std::thread> workers_;
  // Guards the current job's fields below and the workers' sleep.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int64_t)>* task_ = nullptr;
  int64_t chunks_ = 0;
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
  const int64_t per_chunk = (length + chunks - 1) / chunks;
  const bool split = ThreadPool::instance().try_run(chunks, [&](int64_t chunk) {
    const int64_t chunk_begin = begin + chunk * per_chunk;
    const int64_t chunk_end = std::min(end, chunk_begin + per_chunk);
    if (chunk_begin < chunk_end) body(chunk_begin, chunk_end);
  });
  if (split) {
    split_count.fetch_add(1);
  } else {
    body(begin, end);  // the pool is busy with another thread's job (or shrank to 1 thread)
  }
}

namespace detail {

void fail_thread_start_after(int64_t starts) { starts_before_failure.store(starts); }

}  // namespace detail

}  // namespace minidl
