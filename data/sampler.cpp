// DistributedSampler: strided shards of a seeded per-epoch permutation (see sampler.h).
#include "data/sampler.h"

#include <numeric>

#include "core/error.h"
#include "data/dataset.h"

namespace minidl::data {

DistributedSampler::DistributedSampler(DistributedSamplerOptions options) : options_(options) {
  MINIDL_CHECK(options_.dataset_size > 0,
               "DistributedSampler: dataset_size must be positive, got {}", options_.dataset_size);
  MINIDL_CHECK(options_.world > 0, "DistributedSampler: world must be positive, got {}",
               options_.world);
  MINIDL_CHECK(options_.world <= INT64_MAX - options_.dataset_size,
               "DistributedSampler: dataset_size {} plus world {} overflows int64",
               options_.dataset_size, options_.world);
  MINIDL_CHECK(options_.rank >= 0 && options_.rank < options_.world,
               "DistributedSampler: rank {} is outside [0, {})", options_.rank, options_.world);
  MINIDL_CHECK(options_.remainder != Remainder::Drop || options_.dataset_size >= options_.world,
               "DistributedSampler: dropping the remainder of {} examples over {} ranks leaves "
               "none",
               options_.dataset_size, options_.world);
}

int64_t DistributedSampler::size() const {
  const int64_t n = options_.dataset_size;
  const int64_t world = options_.world;
  switch (options_.remainder) {
    case Remainder::Pad:
      return (n + world - 1) / world;
    case Remainder::Drop:
      return n / world;
    case Remainder::Uneven:
      return n / world + (options_.rank < n % world ? 1 : 0);
  }
  return 0;
}

std::vector<int64_t> DistributedSampler::indices(int64_t epoch) const {
  MINIDL_CHECK(epoch >= 0, "DistributedSampler: epoch must be >= 0, got {}", epoch);
  const int64_t n = options_.dataset_size;
  std::vector<int64_t> order;
  if (options_.shuffle) {
    order = seeded_permutation(n, options_.seed, static_cast<uint64_t>(epoch));
  } else {
    order.resize(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
  }
  const int64_t count = size();
  std::vector<int64_t> shard(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    // Padding wraps around to the permutation's start; drop and uneven never reach past n.
    const int64_t position = (options_.rank + i * options_.world) % n;
    shard[static_cast<size_t>(i)] = order[static_cast<size_t>(position)];
  }
  return shard;
}

}  // namespace minidl::data
