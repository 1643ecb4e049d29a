// The classification training loop: one optimizer step on a batch, one epoch over a DataLoader
// with an optional learning-rate schedule and per-batch callback, and evaluation — each tallying
// cross-entropy loss and accuracy. Written once here for the examples, the benchmarks and the
// tests; a program with another loss writes its own loop the same way.
#pragma once

#include <cstdint>
#include <functional>

#include "data/dataloader.h"
#include "nn/module.h"
#include "optim/optimizer.h"
#include "optim/schedules/schedule.h"
#include "train/confusion.h"
#include "train/metrics.h"

namespace minidl::train {

/// Called between backward and the optimizer step; data-parallel training averages the
/// gradients over ranks here (dist::allreduce_gradients).
using GradientHook = std::function<void()>;

/// Called after every training batch with (batch index from 1, the running tally).
using BatchCallback = std::function<void(int64_t, const Tally&)>;

/// What one training step saw: the batch's logits (detached) and mean loss, both from the same
/// forward pass (the last one, for optimizers that evaluate the loss several times).
struct StepResult {
  Tensor logits;
  double loss = 0.0;
};

/// One optimizer step of cross-entropy training on `batch`, through a closure, so L-BFGS works
/// too. Throws when the loss is not finite, with a hint to lower the learning rate.
StepResult train_step(nn::Module& model, optim::Optimizer& optimizer, const data::Example& batch,
                      const GradientHook& after_backward = {});

/// train_step without the finiteness check: the loss it returns may be NaN or infinite (and the
/// step was then taken with such gradients). For callers to whom divergence is a result, not an
/// error: the learning-rate range test, hyperparameter search.
StepResult train_step_unchecked(nn::Module& model, optim::Optimizer& optimizer,
                                const data::Example& batch,
                                const GradientHook& after_backward = {});

/// What train_epoch does besides the steps.
struct EpochOptions {
  const optim::LrSchedule* schedule = nullptr;  ///< sets the lr before each step when given
  BatchCallback on_batch = {};                  ///< called after each step
  GradientHook after_backward = {};             ///< called in each step (see train_step)
};

/// One epoch over `loader` in training mode; `step` counts optimizer steps across epochs (the
/// schedule's step) and is advanced. Returns the training tally.
Tally train_epoch(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
                  int64_t& step, const EpochOptions& options = {});

/// Loss and accuracy of `model` over `loader`, in eval mode and without a graph; the model is
/// back in training mode afterwards.
Tally evaluate(nn::Module& model, data::DataLoader& loader);

/// The confusion matrix of `model`'s predictions over `loader` (eval mode, no graph) for a
/// classifier with `classes` outputs; the model is back in training mode afterwards.
ConfusionMatrix confusion_matrix(nn::Module& model, data::DataLoader& loader, int64_t classes);

}  // namespace minidl::train
