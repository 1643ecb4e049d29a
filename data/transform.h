// Transforms: random changes of training examples (data augmentation), which a DataLoader applies
// to the input of every example of a batch after the dataset has built it (DataLoaderOptions::
// transform; evaluation loaders have none). Example i of epoch e draws its randomness from its
// own Generator, seeded from (the loader's seed, e, i) alone: the augmented batches of a seed
// are the same whatever the batch size or order, on every rank of a data-parallel run, and in a
// resumed run, which therefore needs no extra state in its checkpoint. The image transforms are
// in data/image_transforms.h.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/generator.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace minidl::data {

/// A random change of one example's input. Implementations must be safe to call from several
/// threads at once (the DataLoader transforms the examples of a batch in parallel).
class Transform {
 public:
  virtual ~Transform() = default;
  /// Writes the transformed `input` (one example of `shape`, not a batch) to `output` (as many
  /// floats, not overlapping `input`), drawing its randomness from `generator`.
  virtual void apply(const float* input, float* output, const Shape& shape,
                     Generator& generator) const = 0;
  /// The transformed copy of one example's `input`.
  Tensor operator()(const Tensor& input, Generator& generator) const;
};

/// Transforms applied one after the other.
class Compose final : public Transform {
 public:
  /// Applies `transforms` in this order (none: a copy).
  explicit Compose(std::vector<std::shared_ptr<const Transform>> transforms);
  void apply(const float* input, float* output, const Shape& shape,
             Generator& generator) const override;

 private:
  std::vector<std::shared_ptr<const Transform>> transforms_;
};

/// The Generator of example `index` in `epoch` of a loader seeded with `seed`.
Generator example_generator(uint64_t seed, int64_t epoch, int64_t index);

/// `inputs` [N, ...] with `transform` applied to each example n, drawing from
/// example_generator(seed, epoch, indices[n]) (`indices`: the dataset indices of the N examples),
/// in parallel over the examples. A new tensor.
Tensor transform_batch(const Transform& transform, const Tensor& inputs,
                       std::span<const int64_t> indices, uint64_t seed, int64_t epoch);

}  // namespace minidl::data
