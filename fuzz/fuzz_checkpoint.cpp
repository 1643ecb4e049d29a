// libFuzzer target: the three checkpoint loaders on arbitrary bytes — a model checkpoint
// (nn::load_bytes), an optimizer state (optim::decode_state + load_state_dict) and a training
// checkpoint (train::load_training_checkpoint_bytes). Bad input must end in minidl::Error and
// leave the objects as they were (checked); a crash, sanitizer report, leak or other exception is a
// bug. Every file ends in a CRC-32 that almost any mutation breaks, so each input is also tried
// with its last four bytes replaced by the right checksum: that lets mutations reach the parsers.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/error.h"
#include "core/serialize.h"
#include "fuzz/fuzz_model.h"
#include "nn/checkpoint.h"
#include "optim/state_io.h"
#include "train/checkpoint.h"

using namespace minidl;

namespace {

// Everything a failed load must leave untouched.
std::string snapshot(const nn::Module& model, const optim::Optimizer& optimizer,
                     const data::DataLoader& loader) {
  return nn::encode(model) + optim::encode_state(optimizer.state_dict()) +
         std::to_string(loader.epoch());
}

void load_everything(const std::string& bytes) {
  auto model = fuzz::make_model();
  auto optimizer = fuzz::make_optimizer(*model);
  data::DataLoader loader = fuzz::make_loader();
  const auto unchanged = [&](const std::string& before) {
    if (snapshot(*model, *optimizer, loader) != before) __builtin_trap();  // a half-applied load
  };
  const std::string initial = snapshot(*model, *optimizer, loader);
  try {
    nn::load_bytes(*model, bytes, "fuzz model");
  } catch (const Error&) {
    unchanged(initial);
  }
  const std::string after_model = snapshot(*model, *optimizer, loader);
  try {
    optimizer->load_state_dict(optim::decode_state(bytes, "fuzz optimizer"), "fuzz optimizer");
  } catch (const Error&) {
    unchanged(after_model);
  }
  const std::string after_optimizer = snapshot(*model, *optimizer, loader);
  try {
    train::load_training_checkpoint_bytes({*model, *optimizer, loader}, bytes, "fuzz training");
  } catch (const Error&) {
    unchanged(after_optimizer);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  load_everything(bytes);
  if (size >= 4) load_everything(io::with_checksum(bytes.substr(0, size - 4)));
  return 0;
}
