// Optimizer state files written by earlier versions still load: version-1 files, files that store
// a kind under its name before a rename, and training checkpoints that embed such a state. The
// old bytes are built here, field by field, from the layouts in docs/optimizer-state-format.md
// and train/checkpoint.cpp, so the tests keep describing the old formats.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/serialize.h"
#include "data/dataloader.h"
#include "data/dataset.h"
#include "nn/checkpoint.h"
#include "nn/linear.h"
#include "optim/adadelta.h"
#include "optim/adam.h"
#include "optim/state_io.h"
#include "optim_test_helpers.h"
#include "train/checkpoint.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

/// A version-1 state file: magic, version 1, kind, step count, lr, no optimizer-wide fields and
/// the per-parameter shapes and fields of `params`, then the CRC-32.
std::string version_1_file(const std::string& kind, int64_t step_count, double lr,
                           const std::vector<ParamState>& params) {
  io::ByteWriter writer;
  writer.bytes("MDLOPTST");
  writer.u32(1);
  writer.str(kind);
  writer.i64(step_count);
  writer.f64(lr);
  writer.u32(0);
  writer.u64(params.size());
  for (const ParamState& param : params) {
    writer.u32(static_cast<uint32_t>(param.shape.size()));
    for (int64_t size : param.shape) writer.i64(size);
    writer.u32(static_cast<uint32_t>(param.fields.size()));
    for (const StateField& field : param.fields) {
      REQUIRE(field.type != StateField::Type::Scalar);  // the optimizers below keep none
      writer.str(field.name);
      writer.u32(static_cast<uint32_t>(field.type));  // 0 counter, 2 buffer
      if (field.type == StateField::Type::Counter) {
        writer.i64(field.counter);
      } else {
        writer.i64(static_cast<int64_t>(field.buffer.size()));
        writer.floats(field.buffer.data(), static_cast<int64_t>(field.buffer.size()));
      }
    }
  }
  return io::with_checksum(writer.buffer());
}

}  // namespace

TEST_CASE("a version-1 file of kind AdaDelta (the name before Adadelta) loads into Adadelta") {
  const Tensor param = make_param(kStart);
  Adadelta saved({param}, {.lr = 0.5});
  run_fixed_gradients(saved, param, {kGradients[0], kGradients[1]});
  const std::string old_file =
      version_1_file("AdaDelta", saved.step_count(), saved.lr(), saved.state_dict().params);

  Adadelta loaded({make_param(kStart)}, {.lr = 0.5});
  loaded.load_state_dict(decode_state(old_file, "old.state"));
  CHECK(loaded.step_count() == 2);
  CHECK(encode_state(loaded.state_dict()) == encode_state(saved.state_dict()));
}

TEST_CASE("a version-1 file of kind AMSGrad (a class before) loads into an Adam with amsgrad") {
  const Tensor param = make_param(kStart);
  Adam saved({param}, {.lr = 0.1, .beta2 = 0.5, .amsgrad = true});
  run_fixed_gradients(saved, param, {kGradients[0], kGradients[1]});
  const std::string old_file =
      version_1_file("AMSGrad", saved.step_count(), saved.lr(), saved.state_dict().params);

  Adam loaded({make_param(kStart)}, {.lr = 0.1, .beta2 = 0.5, .amsgrad = true});
  loaded.load_state_dict(decode_state(old_file, "old.state"));
  CHECK(encode_state(loaded.state_dict()) == encode_state(saved.state_dict()));

  Adam without_amsgrad({make_param(kStart)});  // the old file holds max_exp_avg_sq
  CHECK_THROWS_WITH_AS(without_amsgrad.load_state_dict(decode_state(old_file, "old.state")),
                       doctest::Contains("'max_exp_avg_sq'"), Error);
}

TEST_CASE("a training checkpoint with a version-1 optimizer state (before groups) still loads") {
  auto dataset = std::make_shared<data::TensorDataset>(from_vector({1.0F, 2.0F}, {1, 2}),
                                                       from_vector({1.0F}, {1, 1}));
  nn::Linear saved_model({.in = 2, .out = 1});
  Adadelta saved(saved_model.parameters(), {.lr = 0.5});
  for (const Tensor& param : saved_model.parameters()) param.set_grad(ones(param.shape()));
  saved.step();
  // The training checkpoint layout: magic, version 1, epochs done, step, loader epoch, the model
  // checkpoint, the optimizer state (here version 1, kind "AdaDelta"), the Dropout generators.
  io::ByteWriter writer;
  writer.bytes("MDLTRAIN");
  writer.u32(1);
  writer.i64(1);
  writer.i64(1);
  writer.i64(1);
  const std::string model = nn::encode(saved_model);
  writer.u64(model.size());
  writer.bytes(model);
  const std::string optimizer =
      version_1_file("AdaDelta", saved.step_count(), saved.lr(), saved.state_dict().params);
  writer.u64(optimizer.size());
  writer.bytes(optimizer);
  writer.u32(0);
  const std::string old_checkpoint = io::with_checksum(writer.buffer());

  nn::Linear model_now({.in = 2, .out = 1});
  Adadelta optimizer_now(model_now.parameters(), {.lr = 0.5});
  data::DataLoader loader(dataset, {.batch_size = 1});
  const train::Progress progress = train::load_training_checkpoint_bytes(
      {model_now, optimizer_now, loader}, old_checkpoint, "old.ckpt");
  CHECK(progress.epoch == 1);
  CHECK(loader.epoch() == 1);
  CHECK(nn::encode(model_now) == model);
  CHECK(encode_state(optimizer_now.state_dict()) == encode_state(saved.state_dict()));
}
