// Datasets: the Dataset interface, TensorDataset (rows of two tensors), Subset and random_split.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/tensor.h"

namespace minidl::data {

/// One sample (or a batch of them, stacked along a new first dim).
struct Example {
  Tensor input;
  Tensor target;
};

/// A random-access collection of examples.
class Dataset {
 public:
  virtual ~Dataset() = default;
  /// Number of examples.
  virtual int64_t size() const = 0;
  /// Example `index` (0 <= index < size()).
  virtual Example get(int64_t index) const = 0;
  /// The examples at `indices` stacked into one batch; datasets may override it to build the
  /// batch directly (MNIST converts bytes to floats here, one batch at a time).
  virtual Example get_batch(std::span<const int64_t> indices) const;

 protected:
  /// Throws minidl::Error naming `who` when index is outside [0, size()).
  void check_index(const char* who, int64_t index) const;
};

/// Examples are rows of `inputs` and `targets` (their first dims must match).
class TensorDataset : public Dataset {
 public:
  TensorDataset(Tensor inputs, Tensor targets);
  int64_t size() const override { return inputs_.shape()[0]; }
  Example get(int64_t index) const override;
  Example get_batch(std::span<const int64_t> indices) const override;
  const Tensor& inputs() const { return inputs_; }
  const Tensor& targets() const { return targets_; }

 private:
  Tensor inputs_;
  Tensor targets_;
};

/// The examples of another dataset at a list of indices.
class Subset : public Dataset {
 public:
  Subset(std::shared_ptr<const Dataset> source, std::vector<int64_t> indices);
  int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
  Example get(int64_t index) const override;
  Example get_batch(std::span<const int64_t> indices) const override;
  const std::vector<int64_t>& indices() const { return indices_; }

 private:
  std::shared_ptr<const Dataset> source_;
  std::vector<int64_t> indices_;
};

/// Splits a dataset into disjoint random subsets of the given sizes (which must add up to its
/// size); the split is a function of `seed`.
std::vector<std::shared_ptr<Subset>> random_split(std::shared_ptr<const Dataset> dataset,
                                                  const std::vector<int64_t>& sizes, uint64_t seed);

/// A generator seed made from (seed, stream) by splitmix64: the streams of one seed give
/// unrelated sequences (an epoch's shuffle, an example's augmentation).
uint64_t mix_seed(uint64_t seed, uint64_t stream);

/// A random permutation of 0..count-1, a function of (seed, stream) only.
std::vector<int64_t> seeded_permutation(int64_t count, uint64_t seed, uint64_t stream = 0);

/// Stacks tensors of one shape along a new first dim into a new tensor (not recorded).
Tensor stack_rows(std::span<const Tensor> rows);

}  // namespace minidl::data
