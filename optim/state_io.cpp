// Optimizer state files: encoding, decoding with checks, atomic save and all-or-nothing load
// (format: docs/optimizer-state-format.md).
#include "optim/state_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "core/serialize.h"

namespace minidl::optim {

namespace {

// "MDLOPTST" read as a little-endian u64, so the file starts with those eight ASCII bytes.
constexpr uint64_t kMagic = [] {
  const char text[] = "MDLOPTST";
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(text[i]);
  return value;
}();

constexpr uint32_t kMaxRank = 64;
constexpr size_t kMaxNameLength = 256;

// Optimizer kinds as files written before a rename store them, and the names they load under.
constexpr std::pair<std::string_view, std::string_view> kRenamedKinds[] = {
    {"AdaDelta", "Adadelta"},
    {"AMSGrad", "Adam"},  // AMSGrad is Adam({.amsgrad = true}); its state has max_exp_avg_sq
};

std::string current_kind(std::string kind) {
  for (const auto& [old_name, new_name] : kRenamedKinds) {
    if (kind == old_name) return std::string(new_name);
  }
  return kind;
}

void write_fields(io::ByteWriter& writer, const std::vector<StateField>& fields) {
  writer.u32(static_cast<uint32_t>(fields.size()));
  for (const StateField& field : fields) {
    writer.str(field.name);
    writer.u32(static_cast<uint32_t>(field.type));
    switch (field.type) {
      case StateField::Type::Counter:
        writer.i64(field.counter);
        break;
      case StateField::Type::Scalar:
        writer.f64(field.scalar);
        break;
      case StateField::Type::Buffer:
        writer.i64(static_cast<int64_t>(field.buffer.size()));
        if (!field.buffer.empty()) {  // an empty vector's data() may be null
          writer.floats(field.buffer.data(), static_cast<int64_t>(field.buffer.size()));
        }
        break;
    }
  }
}

// Reads a field list; `entry` ("parameter 2") names it in errors.
std::vector<StateField> read_fields(io::ByteReader& reader, const std::string& entry) {
  const uint32_t count = reader.u32(entry + " field count");
  // Every field takes at least 16 bytes (name length, type, payload), so a corrupt count fails
  // here instead of reserving gigabytes.
  MINIDL_CHECK(count <= reader.remaining() / 16,
               "optimizer state '{}': {} claims {} fields but only {} bytes remain",
               reader.source(), entry, count, reader.remaining());
  std::vector<StateField> fields(count);
  for (uint32_t index = 0; index < count; ++index) {
    const std::string what = fmt::format("{} field {}", entry, index);
    StateField& field = fields[index];
    field.name = reader.str(what + " name", kMaxNameLength);
    const uint32_t type = reader.u32(what + " type");
    MINIDL_CHECK(type <= static_cast<uint32_t>(StateField::Type::Buffer),
                 "optimizer state '{}': {} ('{}') has unknown type tag {}", reader.source(), entry,
                 field.name, type);
    field.type = static_cast<StateField::Type>(type);
    switch (field.type) {
      case StateField::Type::Counter:
        field.counter = reader.i64(what + " value");
        break;
      case StateField::Type::Scalar:
        field.scalar = reader.f64(what + " value");
        break;
      case StateField::Type::Buffer: {
        const int64_t size = reader.i64(what + " size");
        MINIDL_CHECK(size >= 0 && static_cast<uint64_t>(size) <= reader.remaining() / 4,
                     "optimizer state '{}': {} ('{}') claims {} values but only {} bytes remain",
                     reader.source(), entry, field.name, size, reader.remaining());
        field.buffer.resize(static_cast<size_t>(size));
        if (size > 0) reader.floats(field.buffer.data(), size, what + " values");
        break;
      }
    }
  }
  return fields;
}

// Reads the parameter groups of a version-2 file.
std::vector<GroupState> read_groups(io::ByteReader& reader) {
  const uint64_t count = reader.u64("parameter group count");
  // Every group takes at least 28 bytes (size, lr, initial lr, field count).
  MINIDL_CHECK(count <= reader.remaining() / 28,
               "optimizer state '{}': claims {} parameter groups but only {} bytes remain",
               reader.source(), count, reader.remaining());
  std::vector<GroupState> groups(count);
  for (uint64_t index = 0; index < count; ++index) {
    const std::string entry = fmt::format("parameter group {}", index);
    GroupState& group = groups[index];
    group.size = reader.i64(entry + " size");
    MINIDL_CHECK(group.size >= 1, "optimizer state '{}': {} holds {} parameters (at least 1)",
                 reader.source(), entry, group.size);
    group.lr = reader.f64(entry + " learning rate");
    group.initial_lr = reader.f64(entry + " initial learning rate");
    group.options = read_fields(reader, entry + " options");
  }
  return groups;
}

// The buffers that hold running sums or means of squares (Adam's v, Adagrad's G, RMSprop's and
// Adadelta's averages): no update can make them negative.
constexpr std::array<std::string_view, 5> kNonNegativeBuffers = {"exp_avg_sq", "max_exp_avg_sq",
                                                                 "sum", "square_avg", "acc_delta"};

// Checks what a well-formed file can still get wrong: every counter a sane count, every scalar
// and buffer value finite, and no negative value in a buffer of squares. `entry` names the list.
void validate_fields(const std::vector<StateField>& fields, const std::string& source,
                     const std::string& entry) {
  for (const StateField& field : fields) {
    const std::string where =
        fmt::format("optimizer state '{}': {} field '{}'", source, entry, field.name);
    switch (field.type) {
      case StateField::Type::Counter:
        io::check_count(where, "the counter", field.counter);
        break;
      case StateField::Type::Scalar:
        MINIDL_CHECK(std::isfinite(field.scalar), "{}: holds {}, expected a finite number", where,
                     field.scalar);
        break;
      case StateField::Type::Buffer: {
        const bool squares = std::find(kNonNegativeBuffers.begin(), kNonNegativeBuffers.end(),
                                       field.name) != kNonNegativeBuffers.end();
        for (size_t i = 0; i < field.buffer.size(); ++i) {
          const float value = field.buffer[i];
          MINIDL_CHECK(std::isfinite(value), "{}: element {} is {}, expected a finite number",
                       where, i, value);
          MINIDL_CHECK(!squares || value >= 0.0F,
                       "{}: element {} is {}, but it holds squares and cannot be negative", where,
                       i, value);
        }
        break;
      }
    }
  }
}

// Semantic validation of a decoded state (see validate_fields), before any optimizer sees it.
void validate_state(const StateDict& dict, const std::string& source) {
  io::check_count(fmt::format("optimizer state '{}'", source), "the step count", dict.step_count);
  for (size_t index = 0; index < dict.groups.size(); ++index) {
    const GroupState& group = dict.groups[index];
    MINIDL_CHECK(std::isfinite(group.lr) && group.lr >= 0.0 && std::isfinite(group.initial_lr) &&
                     group.initial_lr >= 0.0,
                 "optimizer state '{}': parameter group {} has learning rate {} (initial {}), "
                 "expected finite numbers >= 0",
                 source, index, group.lr, group.initial_lr);
    validate_fields(group.options, source, fmt::format("parameter group {} options", index));
  }
  validate_fields(dict.global, source, "optimizer-wide state");
  for (size_t index = 0; index < dict.params.size(); ++index) {
    validate_fields(dict.params[index].fields, source, fmt::format("parameter {}", index));
  }
}

}  // namespace

std::string encode_state(const StateDict& dict) {
  MINIDL_CHECK(dict.has_options,
               "encode_state: the state of a {} optimizer without its options (as read from a "
               "version-1 file) cannot be written; load it into the optimizer and save that",
               dict.kind);
  io::ByteWriter writer;
  writer.u64(kMagic);
  writer.u32(kStateFormatVersion);
  writer.str(dict.kind);
  writer.i64(dict.step_count);
  writer.u64(dict.groups.size());
  for (const GroupState& group : dict.groups) {
    writer.i64(group.size);
    writer.f64(group.lr);
    writer.f64(group.initial_lr);
    write_fields(writer, group.options);
  }
  write_fields(writer, dict.global);
  writer.u64(dict.params.size());
  for (const ParamState& param : dict.params) {
    writer.u32(static_cast<uint32_t>(param.shape.size()));
    for (int64_t size : param.shape) writer.i64(size);
    write_fields(writer, param.fields);
  }
  return io::with_checksum(writer.buffer());
}

StateDict decode_state(const std::string& bytes, const std::string& source) {
  io::ByteReader reader(io::verify_checksum(bytes, source), source);
  MINIDL_CHECK(reader.u64("magic") == kMagic,
               "optimizer state '{}': bad magic; this is not a minidl optimizer state file",
               source);
  const uint32_t version = reader.u32("version");
  MINIDL_CHECK(version == 1 || version == kStateFormatVersion,
               "optimizer state '{}': format version {}, but this build reads versions 1 to {}",
               source, version, kStateFormatVersion);
  StateDict dict;
  dict.kind = current_kind(reader.str("optimizer kind", kMaxNameLength));
  dict.step_count = reader.i64("step count");
  if (version == 1) {  // one learning rate, no groups, no options
    dict.has_options = false;
    dict.groups.push_back({.lr = reader.f64("learning rate")});
  } else {
    dict.groups = read_groups(reader);
  }
  dict.global = read_fields(reader, "optimizer-wide state");
  const uint64_t param_count = reader.u64("parameter count");
  MINIDL_CHECK(param_count <= reader.remaining() / 8,
               "optimizer state '{}': claims {} parameters but only {} bytes remain", source,
               param_count, reader.remaining());
  dict.params.resize(param_count);
  for (uint64_t index = 0; index < param_count; ++index) {
    const std::string entry = fmt::format("parameter {}", index);
    ParamState& param = dict.params[index];
    const uint32_t rank = reader.u32(entry + " rank");
    MINIDL_CHECK(rank <= kMaxRank, "optimizer state '{}': {} has rank {} (at most {})", source,
                 entry, rank, kMaxRank);
    param.shape.resize(rank);
    for (int64_t& size : param.shape) {
      size = reader.i64(entry + " shape");
      MINIDL_CHECK(size >= 0, "optimizer state '{}': {} has a negative size {}", source, entry,
                   size);
    }
    param.fields = read_fields(reader, entry);
  }
  MINIDL_CHECK(reader.at_end(), "optimizer state '{}': {} unexpected bytes after the last entry",
               source, reader.remaining());
  if (version == 1) dict.groups.front().size = static_cast<int64_t>(param_count);
  uint64_t grouped = 0;
  for (const GroupState& group : dict.groups) grouped += static_cast<uint64_t>(group.size);
  MINIDL_CHECK(grouped == param_count,
               "optimizer state '{}': the parameter groups hold {} parameters, but the file has "
               "state for {}",
               source, grouped, param_count);
  validate_state(dict, source);
  return dict;
}

void save_state(const Optimizer& optimizer, const std::string& path) {
  io::write_file_atomic(path, encode_state(optimizer.state_dict()));
}

void load_state(Optimizer& optimizer, const std::string& path) {
  const StateDict dict = decode_state(io::read_file(path), path);
  optimizer.load_state_dict(dict, fmt::format("optimizer state '{}'", path));
}

}  // namespace minidl::optim
