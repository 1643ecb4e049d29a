// Hybrid parallelism on 4 ranks (mpiexec -np 4): groups made by dist::Group::split collect only
// their own ranks, and two data-parallel replicas of the two-stage LeNet-5 pipeline give every
// weight the gradient of the whole model on the whole batch in one process.
#include <doctest/doctest.h>

#include "core/factories.h"
#include "dist/dist.h"
#include "dist_test_helpers.h"
#include "nn/functional.h"
#include "nn/models.h"

using namespace minidl;
using dist_test::check_close;

TEST_CASE("Group::split makes groups whose collectives stay inside them") {
  REQUIRE(dist::world_size() == 4);
  const int rank = dist::rank();
  // Colour by rank / 2: groups {0, 1} and {2, 3}; key 1 − rank % 2 reverses the order in each.
  const dist::Group pair = dist::Group::split(rank / 2, 1 - rank % 2);
  CHECK(pair.size() == 2);
  CHECK(pair.rank() == 1 - rank % 2);
  std::vector<double> values = {static_cast<double>(rank), 1.0};
  dist::allreduce_sum(values, pair);
  CHECK(values[0] == (rank < 2 ? 0.0 + 1.0 : 2.0 + 3.0));
  CHECK(values[1] == 2.0);
  CHECK(dist::Group::world().size() == 4);
  CHECK(dist::Group::world().rank() == rank);
  CHECK_THROWS_WITH(dist::Group::split(-1, 0), "dist::Group::split: color must be >= 0, got -1");
}

TEST_CASE("pipeline_place puts stage 0 on the first half of the ranks") {
  const dist::PipelinePlace place = dist::pipeline_place(2);
  const int rank = dist::rank();
  CHECK(place.stage == rank / 2);
  CHECK(place.replica == rank % 2);
  CHECK(place.peer == (rank + 2) % 4);
  CHECK_THROWS_WITH(dist::pipeline_place(1),
                    "pipeline_place: 1 replicas of a two-stage pipeline need 2 ranks, got 4");
}

TEST_CASE("2 replicas of the 2-stage LeNet-5 pipeline give the single-process gradients") {
  constexpr uint64_t kSeed = 4;
  Generator g(9);
  const data::Example batch{.input = randn({6, 1, 28, 28}, g),
                            .target = from_vector({3, 1, 4, 1, 5, 9})};
  // Reference, computed on every rank: the whole model on the whole batch, one process.
  Generator init(kSeed);
  auto whole = nn::models::lenet5(init);
  nn::cross_entropy((*whole)(batch.input), batch.target).backward();
  const std::vector<Tensor> expected = whole->parameters();

  // Hybrid: replica r trains on rows [3r, 3r + 3); ranks 0, 1 hold the convolutions (the first
  // 4 parameters), ranks 2, 3 the linear layers (the last 6).
  const dist::PipelinePlace place = dist::pipeline_place(2);
  const dist::Group same_stage = dist::Group::split(place.stage, place.replica);
  Generator same_init(kSeed);
  const dist::PipelineStages stages = dist::split_stages(*nn::models::lenet5(same_init), 6);
  const data::Example half{.input = batch.input.narrow(0, 3 * place.replica, 3).contiguous(),
                           .target = batch.target.narrow(0, 3 * place.replica, 3).contiguous()};
  nn::Sequential& mine = place.stage == 0 ? *stages.first : *stages.second;
  if (place.stage == 0) {
    dist::first_stage_step(mine, half, place.peer);
  } else {
    dist::last_stage_step(mine, place.peer);
  }
  dist::allreduce_gradients(mine, {}, same_stage);
  const std::vector<Tensor> params = mine.parameters();
  const size_t first = place.stage == 0 ? 0 : 4;
  REQUIRE(params.size() == (place.stage == 0 ? 4 : 6));
  for (size_t i = 0; i < params.size(); ++i) {
    REQUIRE(params[i].grad().defined());
    check_close(params[i].grad(), expected[first + i].grad(),
                fmt::format("parameter {}", first + i));
  }
}
