// DistributedSampler: disjoint shards that cover each epoch, the three remainder policies,
// per-epoch reshuffling, and serving a shard through the DataLoader.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <span>

#include "data/dataloader.h"
#include "data/sampler.h"
#include "minidl.h"

using namespace minidl;
using namespace minidl::data;

namespace {

// Every rank's shard of `epoch` for n examples over `world` ranks.
std::vector<std::vector<int64_t>> shards(int64_t n, int64_t world, Remainder remainder,
                                         int64_t epoch = 0) {
  std::vector<std::vector<int64_t>> out;
  for (int64_t rank = 0; rank < world; ++rank) {
    DistributedSampler sampler(
        {.dataset_size = n, .world = world, .rank = rank, .seed = 7, .remainder = remainder});
    out.push_back(sampler.indices(epoch));
    CHECK(static_cast<int64_t>(out.back().size()) == sampler.size());
  }
  return out;
}

// How often each index appears over all shards.
std::map<int64_t, int> counts(const std::vector<std::vector<int64_t>>& all) {
  std::map<int64_t, int> seen;
  for (const auto& shard : all) {
    for (int64_t index : shard) ++seen[index];
  }
  return seen;
}

}  // namespace

TEST_CASE(
    "distributed sampler shards are disjoint and cover every example once when world divides n") {
  for (Remainder remainder : {Remainder::Pad, Remainder::Drop, Remainder::Uneven}) {
    const auto all = shards(12, 3, remainder);
    for (const auto& shard : all) CHECK(shard.size() == 4);
    const auto seen = counts(all);
    CHECK(seen.size() == 12);
    for (const auto& [index, times] : seen) {
      CHECK(index >= 0);
      CHECK(index < 12);
      CHECK(times == 1);
    }
  }
}

TEST_CASE("distributed sampler uneven policy gives the first n mod world ranks one extra") {
  const auto all = shards(11, 3, Remainder::Uneven);
  CHECK(all[0].size() == 4);
  CHECK(all[1].size() == 4);
  CHECK(all[2].size() == 3);
  const auto seen = counts(all);
  CHECK(seen.size() == 11);
  for (const auto& [index, times] : seen) CHECK(times == 1);
}

TEST_CASE("distributed sampler pad policy tops shards up with the permutation's first examples") {
  const auto all = shards(11, 3, Remainder::Pad);
  for (const auto& shard : all) CHECK(shard.size() == 4);
  const auto seen = counts(all);
  CHECK(seen.size() == 11);  // every example at least once
  const std::vector<int64_t> order = seeded_permutation(11, 7, 0);
  CHECK(seen.at(order[0]) == 2);  // the one padding slot repeats the permutation's first index
  int repeated = 0;
  for (const auto& [index, times] : seen) repeated += times - 1;
  CHECK(repeated == 1);
}

TEST_CASE("distributed sampler drop policy skips the permutation's last n mod world examples") {
  const auto all = shards(11, 3, Remainder::Drop);
  for (const auto& shard : all) CHECK(shard.size() == 3);
  const auto seen = counts(all);
  CHECK(seen.size() == 9);
  for (const auto& [index, times] : seen) CHECK(times == 1);
  const std::vector<int64_t> order = seeded_permutation(11, 7, 0);
  CHECK(seen.count(order[9]) == 0);
  CHECK(seen.count(order[10]) == 0);
}

TEST_CASE("distributed sampler strides one permutation so a step of all ranks is one big batch") {
  const std::vector<int64_t> order = seeded_permutation(8, 7, 3);
  const auto all = shards(8, 2, Remainder::Pad, 3);
  CHECK(all[0] == std::vector<int64_t>{order[0], order[2], order[4], order[6]});
  CHECK(all[1] == std::vector<int64_t>{order[1], order[3], order[5], order[7]});
}

TEST_CASE("distributed sampler reshuffles every epoch and is reproducible") {
  CHECK(shards(50, 2, Remainder::Pad, 0) == shards(50, 2, Remainder::Pad, 0));
  CHECK(shards(50, 2, Remainder::Pad, 0) != shards(50, 2, Remainder::Pad, 1));
  DistributedSampler ordered({.dataset_size = 6, .world = 2, .rank = 1, .shuffle = false});
  CHECK(ordered.indices(0) == std::vector<int64_t>{1, 3, 5});
  CHECK(ordered.indices(4) == std::vector<int64_t>{1, 3, 5});
}

TEST_CASE("distributed sampler rejects a rank outside the world and empty shards") {
  CHECK_THROWS_WITH_AS(DistributedSampler({.dataset_size = 10, .world = 2, .rank = 2}),
                       "DistributedSampler: rank 2 is outside [0, 2)", Error);
  CHECK_THROWS_AS(DistributedSampler({.dataset_size = 0, .world = 1}), Error);
  CHECK_THROWS_AS(DistributedSampler({.dataset_size = 3, .world = 4, .remainder = Remainder::Drop}),
                  Error);
}

TEST_CASE("dataloader serves the sampler's shard in batches") {
  auto dataset = std::make_shared<TensorDataset>(arange(10.0F).reshape({10, 1}), arange(10.0F));
  auto sampler = std::make_shared<DistributedSampler>(DistributedSamplerOptions{
      .dataset_size = 10, .world = 2, .rank = 1, .seed = 3, .remainder = Remainder::Uneven});
  DataLoader loader(dataset, {.batch_size = 2, .sampler = sampler});
  CHECK(loader.size() == 3);  // 5 examples in batches of 2
  loader.set_epoch(2);
  std::vector<int64_t> served;
  for (const Example& batch : loader) {
    for (float v : batch.target.to_vector()) served.push_back(static_cast<int64_t>(v));
  }
  CHECK(served == sampler->indices(2));
  CHECK(loader.order(2) == sampler->indices(2));
}

TEST_CASE("dataloader rejects shuffle together with a sampler") {
  auto dataset = std::make_shared<TensorDataset>(arange(4.0F).reshape({4, 1}), arange(4.0F));
  auto sampler = std::make_shared<DistributedSampler>(DistributedSamplerOptions{.dataset_size = 4});
  CHECK_THROWS_WITH_AS(DataLoader(dataset, {.shuffle = true, .sampler = sampler}),
                       "DataLoader: shuffle and sampler are exclusive (the sampler orders each "
                       "epoch)",
                       Error);
}

namespace {

// Counts every read, to show that a broken sampler is caught before any.
class CountingDataset : public TensorDataset {
 public:
  CountingDataset() : TensorDataset(zeros({4, 1}), zeros({4})) {}
  Example get(int64_t index) const override {
    ++reads;
    return TensorDataset::get(index);
  }
  Example get_batch(std::span<const int64_t> indices) const override {
    ++reads;
    return TensorDataset::get_batch(indices);
  }
  mutable int64_t reads = 0;
};

// Claims four indices per epoch but serves a valid first batch and an index 4 last.
class LyingSampler : public Sampler {
 public:
  int64_t size() const override { return 4; }
  std::vector<int64_t> indices(int64_t /*epoch*/) const override { return {0, 1, 2, 4}; }
};

}  // namespace

TEST_CASE("dataloader refuses a sampler's out-of-range index before reading any example") {
  auto dataset = std::make_shared<CountingDataset>();
  DataLoader loader(dataset, {.batch_size = 2, .sampler = std::make_shared<LyingSampler>()});
  CHECK_THROWS_WITH_AS(loader.begin(), doctest::Contains("the sampler's index 4 (position 3"),
                       Error);
  CHECK(dataset->reads == 0);
}

TEST_CASE("dataloader with a batch size near INT64_MAX serves one batch of everything") {
  auto dataset = std::make_shared<TensorDataset>(arange(5.0F).reshape({5, 1}), arange(5.0F));
  DataLoader loader(dataset, {.batch_size = std::numeric_limits<int64_t>::max()});
  CHECK(loader.size() == 1);
  CHECK(loader.batch(0, 0).target.to_vector() == std::vector<float>{0, 1, 2, 3, 4});
}
