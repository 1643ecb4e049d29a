// Files written by earlier versions of minidl still load (tests/reliability/v1_files/README.md).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "core/serialize.h"
#include "fuzz/fuzz_model.h"
#include "minidl.h"

using namespace minidl;

namespace {

std::string old_file(const std::string& name) {
  return fmt::format("{}/reliability/v1_files/{}", MINIDL_TEST_SOURCE_DIR, name);
}

}  // namespace

TEST_CASE("a model checkpoint from an earlier version loads") {
  auto model = fuzz::make_model();
  nn::load(*model, old_file("model.ckpt"));
  CHECK(model->parameter("0.weight").numel() == 12);
}

TEST_CASE("a version-1 training checkpoint restores its Dropout generator into the new path") {
  auto model = fuzz::make_model();
  auto optimizer = fuzz::make_optimizer(*model);
  data::DataLoader loader = fuzz::make_loader();
  const Generator before = model->at<nn::Dropout>(3)->generator();
  const train::Progress progress =
      train::load_training_checkpoint({*model, *optimizer, loader}, old_file("training.ckpt"));
  CHECK(progress.epoch == 1);
  CHECK(progress.step == 1);
  CHECK(model->at<nn::Dropout>(3)->generator().state() != before.state());
  CHECK(model->named_generators().front().first == "3.generator");
}
