// dist::allreduce_gradients: data parallelism's one collective per step. After backward and
// before the optimizer step, every rank's gradients are replaced by their mean over all ranks
// (or over a Group of them: the replicas of one pipeline stage in hybrid parallelism), so every
// rank takes the same step from the same parameters.
#pragma once

#include <cstdint>
#include <span>

#include "dist/group.h"
#include "nn/module.h"

namespace minidl::dist {

/// Gradient allreduce options.
struct AllreduceOptions {
  int64_t bucket_bytes = int64_t{25} << 20;  ///< bytes per MPI_Allreduce (> 0); 25 MiB
};

/// Averages the gradients of `module`'s parameters over the ranks of `group` (all of them by
/// default). The gradients, taken in parameter order as one stream of floats, are packed into
/// buckets of bucket_bytes, and each bucket is summed with one MPI_Allreduce, divided by the
/// group's size and unpacked: a few large messages instead of one per tensor. A parameter
/// without a gradient on some rank counts as zeros there and gets the average afterwards; one
/// that has no gradient on any rank (frozen) is skipped and keeps none. A collective: every rank
/// of the group must call it with the same model.
void allreduce_gradients(const nn::Module& module, AllreduceOptions options = {},
                         const Group& group = Group::world());

/// Replaces `values` by their elementwise sum over the ranks of `group` (for metrics such as loss
/// sums and counts). A collective: every rank of the group must call it with the same number of
/// values.
void allreduce_sum(std::span<double> values, const Group& group = Group::world());

}  // namespace minidl::dist
