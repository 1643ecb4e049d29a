// dist pipeline: model parallelism over two ranks. A Sequential is cut into two stages; the rank
// holding the first stage runs it forward and sends the activations (and the targets) to the rank
// holding the second; that rank computes the loss, backpropagates, and sends the gradient of the
// loss with respect to the activations back, from which the first rank continues backward. Each
// rank then updates its own stage's weights. Several copies of the pipeline, each on its own
// shard of the data, make hybrid parallelism: the ranks holding one stage average its gradients
// among themselves (allreduce_gradients over a Group). Used by examples/pipeline_lenet.
#pragma once

#include <cstddef>
#include <memory>

#include "data/dataset.h"
#include "nn/sequential.h"

namespace minidl::dist {

/// A Sequential cut in two: modules [0, cut) and [cut, size), shared with the whole model (so
/// both stages start from the whole model's weights).
struct PipelineStages {
  std::shared_ptr<nn::Sequential> first;
  std::shared_ptr<nn::Sequential> second;
};

/// Where a rank sits when `replicas` copies of a two-stage pipeline share the world (hybrid
/// parallelism): ranks [0, replicas) hold the first stage, [replicas, 2·replicas) the second, and
/// replica r's stages are ranks r and replicas + r. With one replica: rank 0 and rank 1.
struct PipelinePlace {
  int stage = 0;    ///< 0: the first stage, 1: the second
  int replica = 0;  ///< which copy of the pipeline, in [0, replicas)
  int peer = 0;     ///< the rank holding this replica's other stage
};

/// This rank's place among `replicas` pipelines; throws unless the world has 2·replicas ranks.
PipelinePlace pipeline_place(int replicas);

/// Cuts `model` before module `cut` (0 < cut < model.size()).
PipelineStages split_stages(const nn::Sequential& model, size_t cut);

/// The first stage's part of one training step: forward `batch.input` through `stage`, send the
/// activations and the targets to rank `next`, receive d loss / d activations, and backward.
void first_stage_step(nn::Module& stage, const data::Example& batch, int next);

/// The second stage's part of one training step: receive activations and targets from rank
/// `previous`, forward through `stage`, cross-entropy, backward, and send d loss / d activations
/// back. Returns the batch's mean loss.
double last_stage_step(nn::Module& stage, int previous);

}  // namespace minidl::dist
