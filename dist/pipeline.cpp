// Two-stage pipelines over tensor send/recv (see pipeline.h).
#include "dist/pipeline.h"

#include <vector>

#include "core/error.h"
#include "dist/point_to_point.h"
#include "dist/session.h"
#include "nn/functional.h"

namespace minidl::dist {

namespace {

// Message tags, one per kind of tensor, so a message can never be taken for another.
constexpr int kActivationsTag = 1;
constexpr int kTargetsTag = 2;
constexpr int kGradientTag = 3;

}  // namespace

PipelinePlace pipeline_place(int replicas) {
  MINIDL_CHECK(replicas >= 1 && world_size() == 2 * replicas,
               "pipeline_place: {} replicas of a two-stage pipeline need {} ranks, got {}",
               replicas, 2 * replicas, world_size());
  const int me = rank();
  const int stage = me / replicas;
  const int replica = me % replicas;
  return {.stage = stage, .replica = replica, .peer = stage == 0 ? me + replicas : me - replicas};
}

PipelineStages split_stages(const nn::Sequential& model, size_t cut) {
  MINIDL_CHECK(cut > 0 && cut < model.size(),
               "split_stages: cut {} must leave modules on both sides of a Sequential of {}", cut,
               model.size());
  std::vector<std::shared_ptr<nn::Module>> first;
  std::vector<std::shared_ptr<nn::Module>> second;
  for (size_t i = 0; i < model.size(); ++i) (i < cut ? first : second).push_back(model[i]);
  return {.first = std::make_shared<nn::Sequential>(first),
          .second = std::make_shared<nn::Sequential>(second)};
}

void first_stage_step(nn::Module& stage, const data::Example& batch, int next) {
  const Tensor activations = stage(batch.input);
  send(activations, next, kActivationsTag);
  send(batch.target, next, kTargetsTag);
  const Tensor gradient = recv(next, kGradientTag);
  activations.backward(gradient);
}

double last_stage_step(nn::Module& stage, int previous) {
  const Tensor activations = recv(previous, kActivationsTag);
  activations.requires_grad_();  // a leaf: backward leaves d loss / d activations in its .grad
  const Tensor targets = recv(previous, kTargetsTag);
  const Tensor loss = nn::cross_entropy(stage(activations), targets);
  loss.backward();
  send(activations.grad(), previous, kGradientTag);
  return loss.item();
}

}  // namespace minidl::dist
