// Samplers: the example indices a DataLoader serves in one epoch. A sampler replaces the
// loader's own order (identity or seeded shuffle) when set in DataLoaderOptions::sampler.
// DistributedSampler gives each of `world` processes a disjoint shard of one seeded
// permutation per epoch, so data-parallel ranks together see the whole dataset. It needs no MPI:
// the rank and world size are plain numbers (dist::make_sampler fills them in from MPI).
#pragma once

#include <cstdint>
#include <vector>

namespace minidl::data {

/// The indices of one epoch, in the order a DataLoader serves them.
class Sampler {
 public:
  virtual ~Sampler() = default;
  /// Number of indices per epoch (the same for every epoch).
  virtual int64_t size() const = 0;
  /// The indices of `epoch` (each in [0, dataset size)).
  virtual std::vector<int64_t> indices(int64_t epoch) const = 0;
};

/// What DistributedSampler does when the dataset size is not a multiple of the world size.
enum class Remainder {
  /// Every rank gets ceil(n / world) indices: the shards are topped up with the permutation's
  /// first indices, so a few examples are seen twice per epoch (PyTorch's default).
  Pad,
  /// Every rank gets floor(n / world) indices: the permutation's last n % world are skipped this
  /// epoch (PyTorch's drop_last=True); a different few each epoch when shuffling.
  Drop,
  /// Every example exactly once: the first n % world ranks get one index more. Ranks may then
  /// run a different number of batches, so use it for evaluation, not for a training loop whose
  /// every step is a collective call.
  Uneven,
};

/// DistributedSampler options.
struct DistributedSamplerOptions {
  int64_t dataset_size = 0;              ///< n, the dataset's number of examples (> 0)
  int64_t world = 1;                     ///< number of ranks (> 0)
  int64_t rank = 0;                      ///< this rank, in [0, world)
  bool shuffle = true;                   ///< a new seeded permutation every epoch
  uint64_t seed = 0;                     ///< the permutation's seed (the same on every rank)
  Remainder remainder = Remainder::Pad;  ///< policy when world does not divide n
};

/// Rank r's shard of epoch e: positions r, r + world, r + 2 world, ... of the epoch's permutation
/// (a function of seed and e). Strided shards make step s of all ranks together serve exactly
/// the examples a single process with world times the batch size serves at step s.
class DistributedSampler : public Sampler {
 public:
  /// Validates the options.
  explicit DistributedSampler(DistributedSamplerOptions options);
  int64_t size() const override;
  std::vector<int64_t> indices(int64_t epoch) const override;
  const DistributedSamplerOptions& options() const { return options_; }

 private:
  DistributedSamplerOptions options_;
};

}  // namespace minidl::data
