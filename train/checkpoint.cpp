// Training checkpoints (see checkpoint.h). The layout, all little-endian:
//   u64 magic "MDLTRAIN" | u32 version | i64 epochs done | i64 step | i64 loader epoch |
//   u64 n, n bytes: the model checkpoint (nn::save's format) |
//   u64 n, n bytes: the optimizer state (optim::save_state's format, with its own version: files
//                   written before parameter groups hold version 1, which decode_state still reads) |
//   u32 count, then count times: str generator path | str generator state |
//   u32 CRC-32 of every preceding byte
#include "train/checkpoint.h"

#include <fmt/format.h>

#include <vector>

#include "core/error.h"
#include "core/serialize.h"
#include "nn/checkpoint.h"
#include "optim/state_io.h"

namespace minidl::train {

namespace {

// "MDLTRAIN" read as a little-endian u64, so the file starts with those eight ASCII bytes.
constexpr uint64_t kMagic = [] {
  const char text[] = "MDLTRAIN";
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(text[i]);
  return value;
}();
constexpr size_t kMaxPathLength = 4096;
constexpr size_t kMaxGeneratorStateLength = 1 << 16;

// A length-prefixed blob of up to `remaining()` bytes.
std::string read_blob(io::ByteReader& reader, std::string_view what) {
  const uint64_t size = reader.u64(what);
  MINIDL_CHECK(size <= reader.remaining(),
               "{}: truncated file: {} claims {} bytes but only {} remain", reader.source(), what,
               size, reader.remaining());
  return reader.bytes(static_cast<size_t>(size), what);
}

}  // namespace

std::string encode_training_checkpoint(const TrainingState& state, const Progress& progress) {
  io::ByteWriter writer;
  writer.u64(kMagic);
  writer.u32(kTrainingCheckpointVersion);
  writer.i64(progress.epoch);
  writer.i64(progress.step);
  writer.i64(state.loader.epoch());
  const std::string model = nn::encode(state.model);
  writer.u64(model.size());
  writer.bytes(model);
  const std::string optimizer = optim::encode_state(state.optimizer.state_dict());
  writer.u64(optimizer.size());
  writer.bytes(optimizer);
  const auto generators = state.model.named_generators();
  writer.u32(static_cast<uint32_t>(generators.size()));
  for (const auto& [path, generator] : generators) {
    writer.str(path);
    writer.str(generator->state());
  }
  return io::with_checksum(writer.buffer());
}

void save_training_checkpoint(const TrainingState& state, const std::string& path,
                              const Progress& progress) {
  io::write_file_atomic(path, encode_training_checkpoint(state, progress));
}

Progress load_training_checkpoint_bytes(const TrainingState& state, const std::string& bytes,
                                        const std::string& source) {
  const std::string where = fmt::format("training checkpoint '{}'", source);
  io::ByteReader reader(io::verify_checksum(bytes, where), where);
  MINIDL_CHECK(reader.u64("magic") == kMagic,
               "{}: bad magic; this is not a minidl training checkpoint (a model checkpoint from "
               "nn::save goes to nn::load, an optimizer state to optim::load_state)",
               where);
  const uint32_t version = reader.u32("version");
  MINIDL_CHECK(version >= 1 && version <= kTrainingCheckpointVersion,
               "{}: format version {}, but this build reads versions 1 to {}", where, version,
               kTrainingCheckpointVersion);
  Progress progress;
  progress.epoch = reader.count("the epoch count");
  progress.step = reader.count("the step count");
  const int64_t loader_epoch = reader.count("the loader's epoch");
  const std::string model = read_blob(reader, "the model checkpoint");
  const std::string optimizer = read_blob(reader, "the optimizer state");
  const uint32_t generator_count = reader.u32("the generator count");
  std::vector<std::pair<std::string, std::string>> generators;
  for (uint32_t i = 0; i < generator_count; ++i) {
    std::string path = reader.str("a generator's path", kMaxPathLength);
    std::string text = reader.str("a generator state", kMaxGeneratorStateLength);
    // Version 1 stored the path of each Dropout layer, whose generator is now "<path>.generator".
    if (version == 1) path = path.empty() ? "generator" : path + ".generator";
    generators.emplace_back(std::move(path), std::move(text));
  }
  MINIDL_CHECK(reader.at_end(), "{}: {} unexpected bytes after the last entry", where,
               reader.remaining());

  // Check everything before changing anything.
  nn::check_bytes(state.model, model, where + ", model");
  const optim::StateDict dict = optim::decode_state(optimizer, where + ", optimizer");
  const auto model_generators = state.model.named_generators();
  MINIDL_CHECK(generators.size() == model_generators.size(),
               "{}: holds {} generator states but the model has {} generators", where,
               generators.size(), model_generators.size());
  std::vector<Generator> restored(generators.size());
  for (size_t i = 0; i < generators.size(); ++i) {
    MINIDL_CHECK(generators[i].first == model_generators[i].first,
                 "{}: generator {} is '{}' but the model's generator {} is '{}'", where, i,
                 generators[i].first, i, model_generators[i].first);
    try {
      restored[i].set_state(generators[i].second);
    } catch (const Error& error) {
      throw Error(fmt::format("{}: generator '{}': {}", where, generators[i].first, error.what()));
    }
  }
  // The optimizer checks its whole state before it changes; after it, nothing can fail.
  state.optimizer.load_state_dict(dict, where);
  nn::load_bytes(state.model, model, where + ", model");
  for (size_t i = 0; i < restored.size(); ++i) *model_generators[i].second = restored[i];
  state.loader.set_epoch(loader_epoch);
  return progress;
}

Progress load_training_checkpoint(const TrainingState& state, const std::string& path) {
  return load_training_checkpoint_bytes(state, io::read_file(path), path);
}

}  // namespace minidl::train
