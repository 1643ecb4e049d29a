// DataLoader: coverage, reproducibility, per-epoch reshuffling, partial batches; datasets.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "data/dataloader.h"
#include "data/synthetic.h"
#include "minidl.h"

using namespace minidl;
using namespace minidl::data;

namespace {

// A dataset of `count` rows whose input and target both hold the row's index.
std::shared_ptr<TensorDataset> indexed(int64_t count) {
  return std::make_shared<TensorDataset>(arange(static_cast<float>(count)).reshape({count, 1}),
                                         arange(static_cast<float>(count)));
}

std::vector<int64_t> served_indices(DataLoader& loader) {
  std::vector<int64_t> seen;
  for (const Example& batch : loader) {
    for (float v : batch.target.to_vector()) seen.push_back(static_cast<int64_t>(v));
  }
  return seen;
}

}  // namespace

TEST_CASE("every sample is seen exactly once per epoch") {
  DataLoader loader(indexed(103), {.batch_size = 10, .shuffle = true, .seed = 5});
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<int64_t> seen = served_indices(loader);
    std::sort(seen.begin(), seen.end());
    std::vector<int64_t> all(103);
    std::iota(all.begin(), all.end(), 0);
    CHECK(seen == all);
  }
}

TEST_CASE("the same seed gives the same order and another seed another order") {
  DataLoader a(indexed(50), {.batch_size = 7, .shuffle = true, .seed = 11});
  DataLoader b(indexed(50), {.batch_size = 7, .shuffle = true, .seed = 11});
  DataLoader c(indexed(50), {.batch_size = 7, .shuffle = true, .seed = 12});
  std::vector<int64_t> first = served_indices(a);
  CHECK(first == served_indices(b));
  CHECK(first != served_indices(c));
}

TEST_CASE("a new epoch gives a new order, reproducible from (seed, epoch)") {
  DataLoader loader(indexed(50), {.batch_size = 50, .shuffle = true, .seed = 3});
  std::vector<int64_t> epoch0 = served_indices(loader);
  std::vector<int64_t> epoch1 = served_indices(loader);
  CHECK(epoch0 != epoch1);
  CHECK(loader.epoch() == 2);
  loader.set_epoch(1);  // resuming at epoch 1 replays epoch 1's order
  CHECK(served_indices(loader) == epoch1);
  CHECK(loader.order(0) == epoch0);
}

TEST_CASE("without shuffle the order is the dataset order") {
  DataLoader loader(indexed(5), {.batch_size = 2});
  CHECK(served_indices(loader) == std::vector<int64_t>{0, 1, 2, 3, 4});
}

TEST_CASE("the last partial batch is kept without drop_last and dropped with it") {
  DataLoader keep(indexed(10), {.batch_size = 4});
  CHECK(keep.size() == 3);
  std::vector<int64_t> sizes;
  for (const Example& batch : keep) sizes.push_back(batch.input.shape()[0]);
  CHECK(sizes == std::vector<int64_t>{4, 4, 2});

  DataLoader drop(indexed(10), {.batch_size = 4, .drop_last = true});
  CHECK(drop.size() == 2);
  sizes.clear();
  for (const Example& batch : drop) sizes.push_back(batch.input.shape()[0]);
  CHECK(sizes == std::vector<int64_t>{4, 4});
}

TEST_CASE("batches stack inputs and targets along a new first dim") {
  DataLoader loader(indexed(6), {.batch_size = 3});
  Example first = loader.batch(0, 0);
  CHECK(first.input.shape() == Shape{3, 1});
  CHECK(first.target.shape() == Shape{3});
  CHECK(first.input.to_vector() == std::vector<float>{0, 1, 2});
}

TEST_CASE("bad loader options and empty datasets are refused") {
  CHECK_THROWS_WITH_AS(DataLoader(indexed(4), {.batch_size = 0}),
                       "DataLoader: batch_size must be positive, got 0", Error);
  CHECK_THROWS_WITH_AS(DataLoader(indexed(4), {.batch_size = -3}), doctest::Contains("got -3"),
                       Error);
  auto empty = std::make_shared<TensorDataset>(zeros({0, 2}), zeros({0}));
  CHECK_THROWS_WITH_AS(DataLoader(empty, {.batch_size = 1}), "DataLoader: the dataset is empty",
                       Error);
}

TEST_CASE("TensorDataset checks that inputs and targets have the same count") {
  CHECK_THROWS_WITH_AS(TensorDataset(zeros({3, 2}), zeros({4})),
                       doctest::Contains("3 inputs (shape [3, 2]) but 4 targets"), Error);
  TensorDataset ds(arange(6).reshape({3, 2}), arange(3));
  CHECK(ds.get(2).input.to_vector() == std::vector<float>{4, 5});
  CHECK(ds.get(2).target.item() == 2.0F);
  CHECK_THROWS_WITH_AS(ds.get(3), doctest::Contains("index 3 out of range"), Error);
}

TEST_CASE("random_split makes disjoint subsets covering the dataset, reproducibly") {
  auto parts = random_split(indexed(20), {15, 5}, 9);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0]->size() == 15);
  CHECK(parts[1]->size() == 5);
  std::set<int64_t> all;
  for (const auto& part : parts) all.insert(part->indices().begin(), part->indices().end());
  CHECK(all.size() == 20);
  CHECK(random_split(indexed(20), {15, 5}, 9)[1]->indices() == parts[1]->indices());
  CHECK(parts[1]->get(0).target.item() == static_cast<float>(parts[1]->indices()[0]));
  CHECK_THROWS_WITH_AS(random_split(indexed(20), {10, 5}, 0),
                       doctest::Contains("add up to 15 but the dataset has 20"), Error);
}

TEST_CASE("make_linear follows y = Xw + b with the requested noise") {
  Generator g(1);
  auto ds = make_linear(2000, {2.0F, -3.0F}, 0.5F, 0.0F, g);
  CHECK(ds->inputs().shape() == Shape{2000, 2});
  CHECK(ds->targets().shape() == Shape{2000, 1});
  Example e = ds->get(7);
  std::vector<float> x = e.input.to_vector();
  CHECK(e.target.item() == doctest::Approx(2.0F * x[0] - 3.0F * x[1] + 0.5F));
  Generator noisy_gen(1);
  auto noisy = make_linear(2000, {2.0F, -3.0F}, 0.5F, 0.1F, noisy_gen);
  Tensor residual = noisy->targets() - ds->targets();
  CHECK(std::sqrt(var(residual).item()) == doctest::Approx(0.1).epsilon(0.05));
}

TEST_CASE("make_moons and make_spirals produce balanced labelled 2-D points") {
  Generator g(2);
  auto moons = make_moons(100, 0.05F, g);
  CHECK(moons->inputs().shape() == Shape{100, 2});
  CHECK(sum(moons->targets()).item() == 50.0F);
  auto spirals = make_spirals(30, 3, 0.1F, g);
  CHECK(spirals->inputs().shape() == Shape{90, 2});
  CHECK(max(spirals->targets()).item() == 2.0F);
  CHECK(max(abs(spirals->inputs())).item() <= 1.0F);
}

TEST_CASE("a shuffling loader without a seed draws one from the default generator") {
  manual_seed(3);
  DataLoader first(indexed(50), {.batch_size = 5, .shuffle = true});
  DataLoader second(indexed(50), {.batch_size = 5, .shuffle = true});
  manual_seed(3);
  DataLoader again(indexed(50), {.batch_size = 5, .shuffle = true});
  CHECK(first.order(0) != second.order(0));  // two loaders draw two seeds
  CHECK(first.order(0) == again.order(0));   // and manual_seed reproduces them
  CHECK(first.options().seed.has_value());
}
