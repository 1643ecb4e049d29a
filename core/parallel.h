// The one thread knob: set_num_threads governs minidl's own thread pool, which runs every
// parallel loop, large GEMMs included (OpenBLAS itself is kept single-threaded), so two thread
// pools never spin against each other. parallel_for splits a range into one contiguous chunk per
// thread, fewer for short ranges (see parallel_chunks), and keeps a range of at most `grain`
// indices on the calling thread.
//
// Independent callers: every function here may be called from any number of std::threads. The
// pool runs one job at a time: a parallel_for that finds it busy with another thread's job runs
// its whole range inline on its own thread (as it does when nested inside a chunk) instead of
// waiting, so callers never block each other and nested loops cannot deadlock; set_num_threads
// waits for the running job before it replaces the workers. A simple design, chosen over a
// multi-job queue: a second caller loses only its parallelism, never its progress. Results do not
// depend on how a range was split (every minidl loop writes disjoint outputs, and the one
// reduction, a convolution's weight gradient, sums fixed blocks of samples in order), so a thread
// gets the same bits whether it ran on the pool, inline, or while another thread changed the
// thread count. The thread count itself is process-wide.
#pragma once

#include <cstdint>
#include <functional>

namespace minidl {

/// Sets the thread count for minidl's parallel loops and GEMMs (n >= 1); waits for a running
/// loop of another thread. A worker that cannot start gives minidl::Error (1 thread remains).
void set_num_threads(int64_t n);
/// The current thread count; the default is the machine's core count.
int64_t num_threads();
/// Calls body(chunk_begin, chunk_end) on disjoint chunks covering [begin, end), one per thread,
/// as many as parallel_chunks(end - begin, grain) says (equal sizes, the last one shorter).
/// Runs inline, as one chunk, when that is 1, when called from inside another parallel_for, or
/// when the pool is running another thread's job.
/// Rethrows the first exception a chunk throws. The split varies with the thread count and with
/// other threads' use of the pool: `body` must compute the same values for any split.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& body);
/// The number of chunks parallel_for splits `length` indices into at the current thread count:
/// min(threads, ceil(length / grain)), at least 1. So a range of more than `grain` indices always
/// uses a second thread when there is one, and a caller that wants one chunk per thread passes
/// grain = ceil(length / threads).
int64_t parallel_chunks(int64_t length, int64_t grain);
/// Test aid: how many parallel_for calls in this process have run on more than one thread (a
/// monotonic counter, safe to read from any thread). Tests read it before and after a call to
/// prove that the call split its work.
int64_t parallel_split_count();

namespace detail {
/// Test aid: after `starts` more worker threads start, the next start fails (once) as std::thread
/// does when the system has no threads left (std::system_error), so that tests see how
/// set_num_threads reports it.
void fail_thread_start_after(int64_t starts);
}  // namespace detail

}  // namespace minidl
