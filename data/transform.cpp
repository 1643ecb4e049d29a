// Transforms: composition, per-example generators, transforming a batch (see transform.h).
#include "data/transform.h"

#include <algorithm>

#include "core/error.h"
#include "core/parallel.h"
#include "data/dataset.h"

namespace minidl::data {

namespace {

// The stream of a loader's seed that augmentation draws from (the shuffle uses the epoch's).
constexpr uint64_t kTransformStream = 0x7472616E73666F72ULL;  // "transfor"

}  // namespace

Tensor Transform::operator()(const Tensor& input, Generator& generator) const {
  const Tensor source = input.detach().contiguous();
  Tensor output = Tensor::empty(source.shape());
  apply(source.data(), output.data(), source.shape(), generator);
  return output;
}

Compose::Compose(std::vector<std::shared_ptr<const Transform>> transforms)
    : transforms_(std::move(transforms)) {
  for (const auto& transform : transforms_) {
    MINIDL_CHECK(transform != nullptr, "Compose: a transform is null");
  }
}

void Compose::apply(const float* input, float* output, const Shape& shape,
                    Generator& generator) const {
  const auto count = static_cast<size_t>(numel_of(shape));
  std::vector<float> current(input, input + count);
  std::vector<float> next(count);
  for (const auto& transform : transforms_) {
    transform->apply(current.data(), next.data(), shape, generator);
    current.swap(next);
  }
  std::copy(current.begin(), current.end(), output);
}

Generator example_generator(uint64_t seed, int64_t epoch, int64_t index) {
  const uint64_t epoch_seed =
      mix_seed(mix_seed(seed, kTransformStream), static_cast<uint64_t>(epoch));
  return Generator(mix_seed(epoch_seed, static_cast<uint64_t>(index)));
}

Tensor transform_batch(const Transform& transform, const Tensor& inputs,
                       std::span<const int64_t> indices, uint64_t seed, int64_t epoch) {
  MINIDL_CHECK(inputs.dim() >= 1 && inputs.shape()[0] == static_cast<int64_t>(indices.size()),
               "transform_batch: {} indices for inputs of shape {}", indices.size(),
               inputs.shape());
  const Tensor source = inputs.detach().contiguous();
  Tensor output = Tensor::empty(source.shape());
  const Shape example(source.shape().begin() + 1, source.shape().end());
  const int64_t size = numel_of(example);
  parallel_for(0, static_cast<int64_t>(indices.size()), 8, [&](int64_t begin, int64_t end) {
    for (int64_t n = begin; n < end; ++n) {
      Generator generator = example_generator(seed, epoch, indices[static_cast<size_t>(n)]);
      transform.apply(source.data() + n * size, output.data() + n * size, example, generator);
    }
  });
  return output;
}

}  // namespace minidl::data
