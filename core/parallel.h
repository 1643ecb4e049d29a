// The one thread knob: set_num_threads governs minidl's own thread pool, which runs every
// parallel loop, large GEMMs included (OpenBLAS itself is kept single-threaded), so two thread
// pools never spin against each other. parallel_for splits a range into one contiguous chunk per
// thread and keeps small ranges (below `grain`) on the calling thread.
#pragma once

#include <cstdint>
#include <functional>

namespace minidl {

/// Sets the thread count for minidl's parallel loops and GEMMs (n >= 1).
void set_num_threads(int64_t n);
/// The current thread count; the default is the machine's core count.
int64_t num_threads();
/// Calls body(chunk_begin, chunk_end) on disjoint chunks covering [begin, end), one per thread.
/// Runs inline, as one chunk, when the range is shorter than `grain`, when one thread is set, or
/// when called from inside another parallel_for. Rethrows the first exception a chunk throws.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& body);

}  // namespace minidl
