// Dataset basics: batch stacking, TensorDataset, Subset, random_split, seeded permutations.
#include "data/dataset.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/error.h"
#include "core/generator.h"
#include "core/ops/view.h"

namespace minidl::data {

namespace {

// splitmix64's output function: a well-mixed 64-bit value from any input.
uint64_t mix(uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

// Row `index` of `t` along dim 0 (a view when `t` is contiguous).
Tensor row_of(const Tensor& t, int64_t index) {
  return t.detach().narrow(0, index, 1).reshape(Shape(t.shape().begin() + 1, t.shape().end()));
}

// Rows `indices` of `t` gathered into a new [indices.size(), ...] tensor.
Tensor gather_rows(const Tensor& t, std::span<const int64_t> indices) {
  Shape shape = t.shape();
  shape[0] = static_cast<int64_t>(indices.size());
  Tensor out = Tensor::empty(shape);
  Tensor source = t.detach().contiguous();
  const int64_t row = source.numel() / std::max<int64_t>(source.shape()[0], 1);
  for (size_t i = 0; i < indices.size(); ++i) {
    std::memcpy(out.data() + static_cast<int64_t>(i) * row, source.data() + indices[i] * row,
                static_cast<size_t>(row) * sizeof(float));
  }
  return out;
}

}  // namespace

void Dataset::check_index(const char* who, int64_t index) const {
  MINIDL_CHECK(index >= 0 && index < size(),
               "{}: index {} out of range for a dataset of {} examples", who, index, size());
}

Example Dataset::get_batch(std::span<const int64_t> indices) const {
  std::vector<Tensor> inputs;
  std::vector<Tensor> targets;
  inputs.reserve(indices.size());
  targets.reserve(indices.size());
  for (int64_t index : indices) {
    Example example = get(index);
    inputs.push_back(example.input);
    targets.push_back(example.target);
  }
  return {stack_rows(inputs), stack_rows(targets)};
}

Tensor stack_rows(std::span<const Tensor> rows) {
  MINIDL_CHECK(!rows.empty(), "stack_rows: no rows to stack");
  const Shape& row_shape = rows.front().shape();
  Shape shape = row_shape;
  shape.insert(shape.begin(), static_cast<int64_t>(rows.size()));
  Tensor out = Tensor::empty(shape);
  const int64_t row = numel_of(row_shape);
  for (size_t i = 0; i < rows.size(); ++i) {
    MINIDL_CHECK(rows[i].shape() == row_shape,
                 "stack_rows: example {} has shape {} but example 0 has {}", i, rows[i].shape(),
                 row_shape);
    Tensor compact = rows[i].detach().contiguous();
    std::memcpy(out.data() + static_cast<int64_t>(i) * row, compact.data(),
                static_cast<size_t>(row) * sizeof(float));
  }
  return out;
}

TensorDataset::TensorDataset(Tensor inputs, Tensor targets)
    : inputs_(std::move(inputs)), targets_(std::move(targets)) {
  MINIDL_CHECK(inputs_.dim() >= 1 && targets_.dim() >= 1,
               "TensorDataset: inputs {} and targets {} need a first (example) dim",
               inputs_.shape(), targets_.shape());
  MINIDL_CHECK(inputs_.shape()[0] == targets_.shape()[0],
               "TensorDataset: {} inputs (shape {}) but {} targets (shape {})", inputs_.shape()[0],
               inputs_.shape(), targets_.shape()[0], targets_.shape());
}

Example TensorDataset::get(int64_t index) const {
  check_index("TensorDataset", index);
  return {row_of(inputs_, index), row_of(targets_, index)};
}

Example TensorDataset::get_batch(std::span<const int64_t> indices) const {
  for (int64_t index : indices) check_index("TensorDataset", index);
  return {gather_rows(inputs_, indices), gather_rows(targets_, indices)};
}

Subset::Subset(std::shared_ptr<const Dataset> source, std::vector<int64_t> indices)
    : source_(std::move(source)), indices_(std::move(indices)) {
  MINIDL_CHECK(source_ != nullptr, "Subset: no source dataset");
  for (int64_t index : indices_) {
    MINIDL_CHECK(index >= 0 && index < source_->size(),
                 "Subset: index {} out of range for a dataset of {} examples", index,
                 source_->size());
  }
}

Example Subset::get(int64_t index) const {
  check_index("Subset", index);
  return source_->get(indices_[static_cast<size_t>(index)]);
}

Example Subset::get_batch(std::span<const int64_t> indices) const {
  std::vector<int64_t> mapped;
  mapped.reserve(indices.size());
  for (int64_t index : indices) {
    check_index("Subset", index);
    mapped.push_back(indices_[static_cast<size_t>(index)]);
  }
  return source_->get_batch(mapped);
}

uint64_t mix_seed(uint64_t seed, uint64_t stream) { return mix(mix(seed) ^ stream); }

std::vector<int64_t> seeded_permutation(int64_t count, uint64_t seed, uint64_t stream) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  Generator generator(mix_seed(seed, stream));
  for (size_t i = order.size(); i > 1; --i) {  // Fisher-Yates
    std::swap(order[i - 1], order[generator.below(i)]);
  }
  return order;
}

std::vector<std::shared_ptr<Subset>> random_split(std::shared_ptr<const Dataset> dataset,
                                                  const std::vector<int64_t>& sizes,
                                                  uint64_t seed) {
  MINIDL_CHECK(dataset != nullptr, "random_split: no dataset");
  int64_t total = 0;
  for (int64_t size : sizes) {
    MINIDL_CHECK(size >= 0, "random_split: negative size {} in {}", size, sizes);
    total = checked_add("random_split", total, size);
  }
  MINIDL_CHECK(total == dataset->size(),
               "random_split: sizes {} add up to {} but the dataset has {}", sizes, total,
               dataset->size());
  std::vector<int64_t> order = seeded_permutation(total, seed);
  std::vector<std::shared_ptr<Subset>> parts;
  auto next = order.begin();
  for (int64_t size : sizes) {
    parts.push_back(std::make_shared<Subset>(dataset, std::vector<int64_t>(next, next + size)));
    next += size;
  }
  return parts;
}

}  // namespace minidl::data
