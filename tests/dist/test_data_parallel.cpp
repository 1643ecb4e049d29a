// Data parallelism is exact: 2 ranks with batch B per rank, their gradients averaged every step,
// end with the same parameters as 1 process with batch 2B over the same examples. Both ranks
// compute that single-process reference locally and compare.
#include <doctest/doctest.h>

#include "core/factories.h"
#include "data/dataloader.h"
#include "dist/dist.h"
#include "dist_test_helpers.h"
#include "optim/sgd.h"
#include "train/loop.h"

using namespace minidl;
using dist_test::check_close;
using dist_test::small_mlp;

namespace {

constexpr int64_t kExamples = 40;
constexpr int64_t kBatchPerRank = 4;
constexpr int64_t kEpochs = 2;  // 5 steps per epoch
constexpr uint64_t kShuffleSeed = 5;
const optim::SGDOptions kSgd{.lr = 0.1, .momentum = 0.9};

// 40 examples of 6 features with class labels 0..2, the same on every rank.
std::shared_ptr<data::TensorDataset> synthetic() {
  Generator g(3);
  std::vector<float> labels(kExamples);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<float>(i % 3);
  return std::make_shared<data::TensorDataset>(randn({kExamples, 6}, g), from_vector(labels));
}

// Trains `model` for kEpochs with `loader` (gradients passed through `hook`); returns the steps.
int64_t train_for_epochs(nn::Module& model, data::DataLoader& loader,
                         const train::GradientHook& hook) {
  optim::SGD optimizer(model.parameters(), kSgd);
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < kEpochs; ++epoch) {
    train::train_epoch(model, optimizer, loader, step, {.after_backward = hook});
  }
  return step;
}

}  // namespace

TEST_CASE("two ranks with batch B match one process with batch 2B after several SGD steps") {
  const auto dataset = synthetic();
  // Data-parallel: a different init on each rank, made equal by the broadcast.
  auto model = small_mlp(static_cast<uint64_t>(1 + dist::rank()));
  dist::broadcast_parameters(*model);
  auto sampler = dist::make_sampler({.dataset_size = kExamples, .seed = kShuffleSeed});
  data::DataLoader shard(dataset, {.batch_size = kBatchPerRank, .sampler = sampler});
  const int64_t steps = train_for_epochs(*model, shard, [&] { dist::allreduce_gradients(*model); });
  // The reference: one process, rank 0's init, batch 2B, the same seeded permutations.
  auto reference = small_mlp(1);
  data::DataLoader whole(
      dataset,
      {.batch_size = kBatchPerRank * dist::world_size(), .shuffle = true, .seed = kShuffleSeed});
  CHECK(train_for_epochs(*reference, whole, {}) == steps);
  CHECK(steps == 10);
  const auto params = model->named_parameters();
  const auto expected = reference->named_parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    check_close(params[i].second, expected[i].second, params[i].first);
  }
  // The parameters did move: the comparison is not between two untouched inits.
  const auto init = small_mlp(1)->parameters();
  CHECK(params[0].second.to_vector() != init[0].to_vector());
}

TEST_CASE("without the gradient allreduce the ranks drift apart") {
  const auto dataset = synthetic();
  auto model = small_mlp(1);
  auto sampler = dist::make_sampler({.dataset_size = kExamples, .seed = kShuffleSeed});
  data::DataLoader shard(dataset, {.batch_size = kBatchPerRank, .sampler = sampler});
  train_for_epochs(*model, shard, {});
  std::vector<double> first{static_cast<double>(model->parameters()[0].to_vector()[0])};
  const double mine = first[0];
  dist::allreduce_sum(first);
  CHECK(first[0] != doctest::Approx(2.0 * mine));  // the two ranks hold different weights
}
