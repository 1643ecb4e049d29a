// Training checkpoints: everything needed to resume a training run bit for bit in one file —
// the model's parameters and buffers, the optimizer's state (its parameter groups and their
// options included), how far training got (epochs done, optimizer/schedule steps), the
// DataLoader's next epoch and the state of every generator the model registers
// (Module::named_generators: Dropout's masks, and any stochastic layer's). The DataLoader's order
// is a pure function of (seed, epoch), so its epoch number is all of its state that needs saving.
// Files are written atomically and checked completely before anything is restored. This sits
// above nn/, optim/ and data/ because it ties the three together.
#pragma once

#include <cstdint>
#include <string>

#include "data/dataloader.h"
#include "nn/module.h"
#include "optim/optimizer.h"

namespace minidl::train {

/// Version of the training checkpoint format written by this build.
inline constexpr uint32_t kTrainingCheckpointVersion = 2;

/// How far a training run got.
struct Progress {
  int64_t epoch = 0;  ///< epochs completed
  int64_t step = 0;   ///< optimizer steps taken so far (the schedule's step)
};

/// What a training checkpoint restores into: the live objects of a training run.
struct TrainingState {
  nn::Module& model;
  optim::Optimizer& optimizer;
  data::DataLoader& loader;
};

/// The bytes of a training checkpoint of `state` at `progress` (checksum included).
std::string encode_training_checkpoint(const TrainingState& state, const Progress& progress);

/// Writes a training checkpoint of `state` to `path` atomically (temp file + fsync + rename).
void save_training_checkpoint(const TrainingState& state, const std::string& path,
                              const Progress& progress);

/// Restores checkpoint `bytes` into `state`, all or nothing: the format, the model's names and
/// shapes, the optimizer's kind and state, the generators and the counters are all checked
/// before anything changes. `source` names the bytes in errors. Returns the saved progress.
Progress load_training_checkpoint_bytes(const TrainingState& state, const std::string& bytes,
                                        const std::string& source);

/// Reads `path` and restores it into `state` (see load_training_checkpoint_bytes).
Progress load_training_checkpoint(const TrainingState& state, const std::string& path);

}  // namespace minidl::train
