// The one thread knob: set_num_threads governs minidl's own thread pool, which runs every
// parallel loop, large GEMMs included (OpenBLAS itself is kept single-threaded), so two thread
// pools never spin against each other. parallel_for splits a range into one contiguous chunk per
// thread, fewer for short ranges (see parallel_chunks), and keeps a range of at most `grain`
// indices on the calling thread.
#pragma once

#include <cstdint>
#include <functional>

namespace minidl {

/// Sets the thread count for minidl's parallel loops and GEMMs (n >= 1).
void set_num_threads(int64_t n);
/// The current thread count; the default is the machine's core count.
int64_t num_threads();
/// Calls body(chunk_begin, chunk_end) on disjoint chunks covering [begin, end), one per thread,
/// as many as parallel_chunks(end - begin, grain) says (equal sizes, the last one shorter).
/// Runs inline, as one chunk, when that is 1 or when called from inside another parallel_for.
/// Rethrows the first exception a chunk throws.
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

}  // namespace minidl
