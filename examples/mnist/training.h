// The classification training loop shared by examples/mnist and bench/bench_mnist: one step,
// one epoch with a per-batch callback, and evaluation, all tallying loss and accuracy.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

#include "data/dataloader.h"
#include "nn/module.h"
#include "optim/optimizer.h"
#include "optim/schedules/schedule.h"

namespace minidl::examples {

/// Loss and accuracy accumulated over batches.
struct Tally {
  double loss_sum = 0.0;
  int64_t correct = 0;
  int64_t seen = 0;
  /// Adds a batch: its logits [N, C], class targets [N] and mean loss.
  void add(const Tensor& logits, const Tensor& targets, double mean_loss);
  double loss() const;
  double accuracy() const;
};

/// Called between backward and the optimizer step; data-parallel training averages the
/// gradients over ranks here (dist::allreduce_gradients).
using GradientHook = std::function<void()>;

/// One optimizer step of cross-entropy training on a batch (through a closure, so L-BFGS works
/// too). Returns the batch's logits (detached) and its mean loss; throws when the loss is not
/// finite, with a hint to lower the learning rate.
std::pair<Tensor, double> train_step(nn::Module& model, optim::Optimizer& optimizer,
                                     const data::Example& batch,
                                     const GradientHook& after_backward = {});

/// Called after every training batch with (batch index from 1, the running tally).
using BatchCallback = std::function<void(int64_t, const Tally&)>;

/// One epoch over `loader`; scales every parameter group's lr by `schedule` before each step when
/// given (Optimizer::set_lr_factor), counting steps in `step`; `after_backward` runs in every step (see train_step). Returns the training
/// tally.
Tally train_epoch(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
                  const optim::LrSchedule* schedule, int64_t& step,
                  const BatchCallback& on_batch = {}, const GradientHook& after_backward = {});

/// Loss and accuracy of `model` (in eval mode, without a graph) over `loader`.
Tally evaluate(nn::Module& model, data::DataLoader& loader);

}  // namespace minidl::examples
