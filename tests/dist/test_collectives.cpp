// minidl::dist collectives on 2 ranks: rank and world size, parameter broadcast, the model-shape
// check, bucketed gradient averaging (any bucket size, missing gradients), sums, send/recv.
#include <doctest/doctest.h>

#include "core/factories.h"
#include "dist/dist.h"
#include "dist_test_helpers.h"

using namespace minidl;
using dist_test::check_close;
using dist_test::small_mlp;

namespace {

// Gives every parameter of `model` the gradient value(rank, parameter index, element index).
template <class Value>
void set_gradients(const nn::Module& model, Value value) {
  const std::vector<Tensor> params = model.parameters();
  for (size_t p = 0; p < params.size(); ++p) {
    std::vector<float> grad(static_cast<size_t>(params[p].numel()));
    for (size_t i = 0; i < grad.size(); ++i) grad[i] = value(dist::rank(), p, i);
    params[p].set_grad(from_vector(grad, params[p].shape()));
  }
}

float rank_gradient(int rank, size_t parameter, size_t element) {
  return static_cast<float>(rank * 100 + static_cast<int>(parameter) * 10) +
         static_cast<float>(element) * 0.5F;
}

}  // namespace

TEST_CASE("dist runs on two ranks with distinct ranks") {
  REQUIRE(dist::world_size() == 2);
  CHECK((dist::rank() == 0 || dist::rank() == 1));
}

TEST_CASE("broadcast_parameters copies the root's parameters and buffers to every rank") {
  auto model = small_mlp(static_cast<uint64_t>(10 + dist::rank()));  // a different init per rank
  const Tensor buffer =
      model->register_buffer("steps", full({2}, static_cast<float>(dist::rank())));
  auto rank1_model = small_mlp(11);
  dist::broadcast_parameters(*model, 1);
  const auto params = model->parameters();
  const auto expected = rank1_model->parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    CHECK(params[i].to_vector() == expected[i].to_vector());
  }
  CHECK(buffer.to_vector() == std::vector<float>{1.0F, 1.0F});
}

TEST_CASE("broadcast_parameters names the rank, path and both shapes when models differ") {
  auto model = small_mlp(1, dist::rank() == 0 ? 8 : 5);  // rank 1 has 5 hidden units
  CHECK_THROWS_WITH_AS(dist::broadcast_parameters(*model),
                       "dist::broadcast_parameters: models differ across ranks: tensor 0 is "
                       "parameter 0.weight [5, 6] on rank 1 but parameter 0.weight [8, 6] on rank "
                       "0 (the root)",
                       Error);
}

TEST_CASE("broadcast_parameters names a buffer that only some ranks have") {
  auto model = small_mlp(1);
  if (dist::rank() == 1) model->register_buffer("extra", zeros({3}));
  CHECK_THROWS_WITH_AS(dist::broadcast_parameters(*model),
                       "dist::broadcast_parameters: models differ across ranks: tensor 4 is "
                       "buffer extra [3] on rank 1 but nothing on rank 0 (the root)",
                       Error);
}

TEST_CASE("allreduce_gradients averages gradients for any bucket size") {
  // 6*8 + 8 + 8*3 + 3 = 83 floats: one bucket, buckets that split tensors, one float per bucket.
  for (int64_t bucket_bytes : {int64_t{25} << 20, int64_t{40}, int64_t{4}}) {
    auto model = small_mlp(1);
    set_gradients(*model, rank_gradient);
    dist::allreduce_gradients(*model, {.bucket_bytes = bucket_bytes});
    const auto params = model->parameters();
    for (size_t p = 0; p < params.size(); ++p) {
      const std::vector<float> grad = params[p].grad().to_vector();
      for (size_t i = 0; i < grad.size(); ++i) {
        const float mean = (rank_gradient(0, p, i) + rank_gradient(1, p, i)) / 2.0F;
        REQUIRE(grad[i] == doctest::Approx(mean));
      }
    }
  }
}

TEST_CASE("allreduce_gradients counts a missing gradient as zeros and skips frozen parameters") {
  auto model = small_mlp(1);
  const auto params = model->parameters();
  if (dist::rank() == 0) params[0].set_grad(full(params[0].shape(), 4.0F));
  dist::allreduce_gradients(*model);
  check_close(params[0].grad(), full(params[0].shape(), 2.0F), "0.weight");
  CHECK_FALSE(params[1].grad().defined());  // no rank had one
}

TEST_CASE("allreduce_gradients rejects a bucket smaller than one float") {
  auto model = small_mlp(1);
  CHECK_THROWS_WITH_AS(dist::allreduce_gradients(*model, {.bucket_bytes = 2}),
                       "dist::allreduce_gradients: bucket_bytes must be at least 4, got 2", Error);
}

TEST_CASE("allreduce_sum adds values over ranks") {
  std::vector<double> values{1.5, static_cast<double>(dist::rank())};
  dist::allreduce_sum(values);
  CHECK(values == std::vector<double>{3.0, 1.0});
}

TEST_CASE("send and recv move a tensor with its shape between ranks") {
  if (dist::rank() == 0) {
    dist::send(arange(6.0F).reshape({2, 3}).transpose(0, 1), 1, 7);  // a non-contiguous view
    const Tensor reply = dist::recv(1, 8);
    CHECK(reply.shape() == Shape{1});
    CHECK(reply.item() == 42.0F);
  } else {
    const Tensor received = dist::recv(0, 7);
    CHECK(received.shape() == Shape{3, 2});
    CHECK(received.to_vector() == std::vector<float>{0, 3, 1, 4, 2, 5});
    dist::send(full({1}, 42.0F), 0, 8);
  }
}

TEST_CASE("make_sampler shards by this process's rank") {
  auto sampler = dist::make_sampler({.dataset_size = 10, .shuffle = false});
  CHECK(sampler->options().world == 2);
  CHECK(sampler->options().rank == dist::rank());
  CHECK(sampler->indices(0).front() == dist::rank());
}
