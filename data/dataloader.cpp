// DataLoader: seeded per-epoch order, batch slicing, augmentation, range-for iteration.
#include "data/dataloader.h"

#include <algorithm>
#include <numeric>
#include <span>

#include "core/error.h"
#include "core/generator.h"

namespace minidl::data {

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  if (!options_.seed) options_.seed = default_generator().next();
  MINIDL_CHECK(dataset_ != nullptr, "DataLoader: no dataset");
  MINIDL_CHECK(options_.batch_size > 0, "DataLoader: batch_size must be positive, got {}",
               options_.batch_size);
  MINIDL_CHECK(dataset_->size() > 0, "DataLoader: the dataset is empty");
  MINIDL_CHECK(!(options_.sampler && options_.shuffle),
               "DataLoader: shuffle and sampler are exclusive (the sampler orders each epoch)");
  MINIDL_CHECK(!options_.sampler || options_.sampler->size() > 0,
               "DataLoader: the sampler serves no examples");
}

int64_t DataLoader::epoch_size() const {
  return options_.sampler ? options_.sampler->size() : dataset_->size();
}

int64_t DataLoader::size() const {
  const int64_t count = epoch_size();
  const int64_t full = count / options_.batch_size;
  return options_.drop_last || count % options_.batch_size == 0 ? full : full + 1;
}

std::vector<int64_t> DataLoader::order(int64_t epoch) const {
  MINIDL_CHECK(epoch >= 0, "DataLoader: epoch must be >= 0, got {}", epoch);
  if (options_.sampler) return checked_sampler_indices(epoch);
  if (options_.shuffle) {
    return seeded_permutation(dataset_->size(), *options_.seed, static_cast<uint64_t>(epoch));
  }
  std::vector<int64_t> identity(static_cast<size_t>(dataset_->size()));
  std::iota(identity.begin(), identity.end(), 0);
  return identity;
}

std::vector<int64_t> DataLoader::checked_sampler_indices(int64_t epoch) const {
  const int64_t claimed = options_.sampler->size();
  std::vector<int64_t> indices = options_.sampler->indices(epoch);
  MINIDL_CHECK(static_cast<int64_t>(indices.size()) == claimed,
               "DataLoader: the sampler returned {} indices for epoch {}, but its size() is {}",
               indices.size(), epoch, claimed);
  const int64_t examples = dataset_->size();
  for (size_t i = 0; i < indices.size(); ++i) {
    MINIDL_CHECK(indices[i] >= 0 && indices[i] < examples,
                 "DataLoader: the sampler's index {} (position {} of epoch {}) is out of range for "
                 "a dataset of {} examples",
                 indices[i], i, epoch, examples);
  }
  return indices;
}

Example DataLoader::batch_of(const std::vector<int64_t>& order, int64_t epoch,
                             int64_t batch) const {
  MINIDL_CHECK(batch >= 0 && batch < size(), "DataLoader: batch {} out of range ({} per epoch)",
               batch, size());
  const int64_t start = batch * options_.batch_size;
  const int64_t stop = std::min<int64_t>(start + options_.batch_size, epoch_size());
  const auto indices = std::span<const int64_t>(order).subspan(static_cast<size_t>(start),
                                                               static_cast<size_t>(stop - start));
  Example examples = dataset_->get_batch(indices);
  if (options_.transform) {
    examples.input =
        transform_batch(*options_.transform, examples.input, indices, *options_.seed, epoch);
  }
  return examples;
}

Example DataLoader::batch(int64_t epoch, int64_t batch) const {
  return batch_of(order(epoch), epoch, batch);
}

void DataLoader::set_epoch(int64_t epoch) {
  MINIDL_CHECK(epoch >= 0, "DataLoader: epoch must be >= 0, got {}", epoch);
  next_epoch_ = epoch;
}

DataLoader::Iterator DataLoader::begin() {
  MINIDL_CHECK(next_epoch_ < INT64_MAX, "DataLoader: the epoch counter {} cannot advance",
               next_epoch_);
  const int64_t epoch = next_epoch_++;
  auto epoch_order = std::make_shared<const std::vector<int64_t>>(order(epoch));
  return Iterator(this, epoch, std::move(epoch_order), 0);
}

DataLoader::Iterator DataLoader::end() const { return Iterator(this, -1, nullptr, size()); }

DataLoader::Iterator::Iterator(const DataLoader* loader, int64_t epoch,
                               std::shared_ptr<const std::vector<int64_t>> order, int64_t index)
    : loader_(loader), epoch_(epoch), order_(std::move(order)), index_(index) {
  load();
}

void DataLoader::Iterator::load() {
  if (order_ && index_ < loader_->size()) current_ = loader_->batch_of(*order_, epoch_, index_);
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  ++index_;
  load();
  return *this;
}

}  // namespace minidl::data
