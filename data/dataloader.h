// DataLoader: batches of a dataset in a seeded order. Each range-for over the loader is one epoch;
// the order of epoch e is a function of (seed, e) alone, so runs are reproducible and a resumed
// run (set_epoch) sees the same batches as an uninterrupted one. A Sampler in the options
// (e.g. DistributedSampler, one shard per rank) chooses the epoch's indices instead, and a
// Transform augments the examples (data/transform.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "data/dataset.h"
#include "data/sampler.h"
#include "data/transform.h"

namespace minidl::data {

/// Batching and shuffling options.
struct DataLoaderOptions {
  int64_t batch_size = 1;  ///< examples per batch (> 0)
  bool shuffle = false;    ///< a new seeded permutation every epoch
  bool drop_last = false;  ///< skip the final batch when it is smaller than batch_size
  /// The shuffle's seed; when not given, one draw from the default Generator at construction
  /// (so manual_seed reproduces the order).
  std::optional<uint64_t> seed = std::nullopt;
  /// When set, serves sampler->indices(epoch) instead (shuffle must then be false: the sampler
  /// orders the epoch itself).
  std::shared_ptr<const Sampler> sampler = nullptr;
  /// When set, applied to the input of every example served (data augmentation, for training
  /// loaders): example i of epoch e draws from example_generator(seed, e, i), so the
  /// augmentation too is a function of (seed, epoch) alone.
  std::shared_ptr<const Transform> transform = nullptr;
};

/// Iterates over stacked batches of a dataset.
class DataLoader {
 public:
  DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options);

  /// Number of batches per epoch.
  int64_t size() const;
  /// The example indices of `epoch`, in the order they are served.
  std::vector<int64_t> order(int64_t epoch) const;
  /// Batch `batch` of `epoch` (0 <= batch < size()).
  Example batch(int64_t epoch, int64_t batch) const;
  /// The epoch the next range-for will serve.
  int64_t epoch() const { return next_epoch_; }
  /// Makes the next range-for serve `epoch` (to resume training).
  void set_epoch(int64_t epoch);
  const DataLoaderOptions& options() const { return options_; }
  const Dataset& dataset() const { return *dataset_; }

  /// Input iterator over one epoch's batches.
  class Iterator {
   public:
    const Example& operator*() const { return current_; }
    const Example* operator->() const { return &current_; }
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    friend class DataLoader;
    Iterator(const DataLoader* loader, int64_t epoch,
             std::shared_ptr<const std::vector<int64_t>> order, int64_t index);
    void load();
    const DataLoader* loader_;
    int64_t epoch_;
    std::shared_ptr<const std::vector<int64_t>> order_;
    int64_t index_;
    Example current_;
  };

  /// Starts the next epoch (and advances the epoch counter).
  Iterator begin();
  Iterator end() const;

 private:
  // Examples per epoch: the sampler's size, or the dataset's.
  int64_t epoch_size() const;
  // The sampler's indices of `epoch`, checked before any read: as many as its size() claims,
  // each a valid index of the dataset.
  std::vector<int64_t> checked_sampler_indices(int64_t epoch) const;
  // Batch `batch` of an epoch whose order is `order` (augmented with the epoch's generators).
  Example batch_of(const std::vector<int64_t>& order, int64_t epoch, int64_t batch) const;
  std::shared_ptr<const Dataset> dataset_;
  DataLoaderOptions options_;
  int64_t next_epoch_ = 0;
};

}  // namespace minidl::data
