// LeNet-5 split over two ranks with tensor send/recv (see pipeline.h).
#include "examples/pipeline_lenet/pipeline.h"

#include <vector>

#include "dist/point_to_point.h"
#include "examples/mnist/models.h"
#include "nn/functional.h"

namespace minidl::examples {

namespace {

constexpr int kFeatureRank = 0;
constexpr int kClassifierRank = 1;
// Message tags, one per kind of tensor, so a message can never be taken for another.
constexpr int kActivationsTag = 1;
constexpr int kTargetsTag = 2;
constexpr int kGradientTag = 3;
// LeNet-5's modules before Flatten: conv, ReLU, pool, conv, ReLU, pool.
constexpr size_t kFeatureModules = 6;

}  // namespace

LeNetStages split_lenet5(uint64_t seed) {
  const std::shared_ptr<nn::Sequential> whole = make_lenet5(seed);
  std::vector<std::shared_ptr<nn::Module>> features;
  std::vector<std::shared_ptr<nn::Module>> classifier;
  for (size_t i = 0; i < whole->size(); ++i) {
    (i < kFeatureModules ? features : classifier).push_back((*whole)[i]);
  }
  return {.features = std::make_shared<nn::Sequential>(features),
          .classifier = std::make_shared<nn::Sequential>(classifier)};
}

void features_step(nn::Module& features, const data::Example& batch) {
  const Tensor activations = features(batch.input);
  dist::send(activations, kClassifierRank, kActivationsTag);
  dist::send(batch.target, kClassifierRank, kTargetsTag);
  const Tensor gradient = dist::recv(kClassifierRank, kGradientTag);
  activations.backward(gradient);
}

double classifier_step(nn::Module& classifier) {
  const Tensor activations = dist::recv(kFeatureRank, kActivationsTag);
  activations.requires_grad_();  // a leaf: backward leaves d loss / d activations in its .grad
  const Tensor targets = dist::recv(kFeatureRank, kTargetsTag);
  const Tensor loss = nn::cross_entropy(classifier(activations), targets);
  loss.backward();
  dist::send(activations.grad(), kFeatureRank, kGradientTag);
  return loss.item();
}

}  // namespace minidl::examples
