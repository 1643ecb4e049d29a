// The two-stage pipeline is exact: LeNet-5 split over two ranks gives every weight the same
// gradient (and the batch the same loss) as the whole model in one process.
#include <doctest/doctest.h>

#include "core/factories.h"
#include "dist/dist.h"
#include "dist_test_helpers.h"
#include "nn/functional.h"
#include "nn/models.h"

using namespace minidl;
using dist_test::check_close;

TEST_CASE("pipeline LeNet-5 over two ranks gives the single-process gradients") {
  constexpr uint64_t kSeed = 4;
  Generator g(9);
  const data::Example batch{.input = randn({5, 1, 28, 28}, g),
                            .target = from_vector({3, 1, 4, 1, 5})};
  // Reference, computed on both ranks: the whole model, one process.
  Generator init(kSeed);
  auto whole = nn::models::lenet5(init);
  const Tensor loss = nn::cross_entropy((*whole)(batch.input), batch.target);
  loss.backward();
  const std::vector<Tensor> expected = whole->parameters();
  // Pipelined: rank 0 owns the first 4 parameters (2 convs), rank 1 the last 6 (3 linears).
  Generator same_init(kSeed);
  const dist::PipelineStages stages = dist::split_stages(*nn::models::lenet5(same_init), 6);
  std::vector<Tensor> mine;
  size_t first = 0;
  if (dist::rank() == 0) {
    dist::first_stage_step(*stages.first, batch, 1);
    mine = stages.first->parameters();
  } else {
    const double pipelined_loss = dist::last_stage_step(*stages.second, 0);
    CHECK(pipelined_loss == doctest::Approx(loss.item()).epsilon(1e-6));
    mine = stages.second->parameters();
    first = 4;
  }
  REQUIRE(mine.size() == (dist::rank() == 0 ? 4 : 6));
  for (size_t i = 0; i < mine.size(); ++i) {
    REQUIRE(mine[i].grad().defined());
    check_close(mine[i].grad(), expected[first + i].grad(), fmt::format("parameter {}", first + i));
  }
}
