// examples/mnist's view of data parallelism: how this process takes part in training, either
// alone or as one rank of an MPI job (mnist --distributed). Two implementations, chosen by the
// build: data_parallel_mpi.cpp over minidl::dist, and data_parallel_alone.cpp, which runs alone
// and refuses --distributed with a hint, so main.cpp has no #ifdef.
#pragma once

#include <memory>
#include <string>

#include "data/sampler.h"
#include "nn/module.h"
#include "train/loop.h"

namespace minidl::examples {

/// One process of (possibly) data-parallel training.
class DataParallel {
 public:
  /// Alone when `distributed` is false; otherwise starts MPI (throws minidl::Error when minidl
  /// was built without MPI).
  DataParallel(bool distributed, int& argc, char**& argv);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  /// This process's rank (0 when alone).
  int rank() const { return rank_; }
  /// The number of processes (1 when alone).
  int world() const { return world_; }
  /// True for the one process that prints, saves checkpoints and writes metrics.
  bool is_root() const { return rank_ == 0; }
  /// This rank's shard of each epoch, or nullptr when alone (the loader shuffles by itself).
  std::shared_ptr<const data::Sampler> sampler(int64_t dataset_size, uint64_t seed,
                                               data::Remainder remainder) const;
  /// Makes every rank's model equal to rank 0's (nothing when alone).
  void broadcast(const nn::Module& model) const;
  /// Averages `model`'s gradients over ranks; empty when alone.
  train::GradientHook gradient_hook(const nn::Module& model) const;
  /// The tally summed over all ranks (the same tally when alone).
  train::Tally sum(const train::Tally& tally) const;
  /// The confusion matrix summed over all ranks (the same matrix when alone).
  train::ConfusionMatrix sum(const train::ConfusionMatrix& matrix) const;
  /// Reports a failure: when distributed, prints "minidl: rank R: <message>" and aborts the
  /// whole job (no rank is left waiting); alone, returns and lets the caller report it.
  void on_error(const std::string& message) const;

 private:
  struct Mpi;  // the MPI session, when distributed
  std::unique_ptr<Mpi> mpi_;
  int rank_ = 0;
  int world_ = 1;
};

}  // namespace minidl::examples
