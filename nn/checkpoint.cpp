// nn::save / nn::load (the format is documented in docs/checkpoint-format.md):
//   header   u64 magic "MINIDLCK" | u32 version | u64 file size in bytes | u64 entry count
//   entries  str name | u32 kind (0 parameter, 1 buffer) | u32 ndim | i64 dims[ndim] |
//            f32 values[numel], row-major
//   trailer  u32 CRC-32 of every preceding byte
// All little-endian. load checks the file from the outside in (length, magic, version, size,
// checksum, entries), then matches entries to the module, and only then copies values.
#include "nn/checkpoint.h"

#include <cstring>
#include <map>
#include <vector>

#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"
#include "core/serialize.h"

namespace minidl::nn {

namespace {

constexpr char kMagicBytes[8] = {'M', 'I', 'N', 'I', 'D', 'L', 'C', 'K'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderSize = 8 + 4 + 8 + 8;  // magic, version, file size, entry count
constexpr size_t kChecksumSize = 4;
constexpr uint32_t kMaxDims = 16;

enum class Kind : uint32_t { Parameter = 0, Buffer = 1 };

std::string_view kind_name(Kind kind) { return kind == Kind::Parameter ? "parameter" : "buffer"; }

// One tensor of a module or of a file.
struct Entry {
  std::string name;
  Kind kind;
  Shape shape;
  Tensor tensor;              // the module's tensor (module side)
  std::vector<float> values;  // the stored values (file side)
};

std::vector<Entry> module_entries(const Module& module) {
  std::vector<Entry> entries;
  for (auto& [name, tensor] : module.named_parameters()) {
    entries.push_back({name, Kind::Parameter, tensor.shape(), tensor, {}});
  }
  for (auto& [name, tensor] : module.named_buffers()) {
    entries.push_back({name, Kind::Buffer, tensor.shape(), tensor, {}});
  }
  return entries;
}

uint64_t magic_value() {
  uint64_t magic = 0;
  std::memcpy(&magic, kMagicBytes, sizeof(magic));
  return magic;
}

// Checks everything that does not depend on the entries; returns the entry count.
uint64_t check_envelope(const std::string& data, const std::string& path) {
  MINIDL_CHECK(data.size() >= 8, "{}: truncated: {} bytes cannot hold a checkpoint header", path,
               data.size());
  MINIDL_CHECK(std::memcmp(data.data(), kMagicBytes, 8) == 0,
               "{}: not a minidl checkpoint (the file does not start with the magic \"MINIDLCK\")",
               path);
  MINIDL_CHECK(data.size() >= kHeaderSize + kChecksumSize,
               "{}: truncated: {} bytes cannot hold a checkpoint header and checksum", path,
               data.size());
  io::ByteReader header(data.substr(0, kHeaderSize), path);
  header.u64("magic");
  const uint32_t version = header.u32("version");
  MINIDL_CHECK(version == kVersion,
               "{}: unsupported checkpoint version {} (this build reads version {})", path, version,
               kVersion);
  const uint64_t declared = header.u64("file size");
  MINIDL_CHECK(declared <= data.size(),
               "{}: truncated: the header says {} bytes but the file has only {}", path, declared,
               data.size());
  MINIDL_CHECK(declared == data.size(),
               "{}: {} unexpected bytes after the end of the checkpoint ({} bytes expected)", path,
               data.size() - declared, declared);
  io::verify_checksum(data, path);
  return header.u64("entry count");
}

// Parses every entry of a file whose envelope passed check_envelope.
std::vector<Entry> file_entries(const std::string& data, const std::string& path) {
  const uint64_t count = check_envelope(data, path);
  io::ByteReader reader(data.substr(kHeaderSize, data.size() - kHeaderSize - kChecksumSize), path);
  std::vector<Entry> entries;
  for (uint64_t i = 0; i < count; ++i) {
    Entry entry;
    entry.name = reader.str(fmt::format("the name of entry {}", i));
    const uint32_t kind = reader.u32("an entry kind");
    MINIDL_CHECK(kind <= 1, "{}: entry '{}' has unknown kind {}", path, entry.name, kind);
    entry.kind = static_cast<Kind>(kind);
    const uint32_t ndim = reader.u32("an entry's rank");
    MINIDL_CHECK(ndim <= kMaxDims, "{}: entry '{}' claims {} dims", path, entry.name, ndim);
    int64_t numel = 1;
    for (uint32_t d = 0; d < ndim; ++d) {
      const int64_t size = reader.i64("an entry's shape");
      MINIDL_CHECK(size >= 0 && (size == 0 || numel <= INT64_MAX / 4 / size),
                   "{}: entry '{}' has an invalid size {} in dim {}", path, entry.name, size, d);
      entry.shape.push_back(size);
      numel *= size;
    }
    MINIDL_CHECK(static_cast<uint64_t>(numel) <= reader.remaining() / sizeof(float),
                 "{}: truncated: entry '{}' of shape {} needs {} floats but only {} bytes remain",
                 path, entry.name, entry.shape, numel, reader.remaining());
    entry.values.resize(static_cast<size_t>(numel));
    reader.floats(entry.values.data(), numel, entry.name);
    entries.push_back(std::move(entry));
  }
  MINIDL_CHECK(reader.at_end(), "{}: {} bytes after the last of {} entries", path,
               reader.remaining(), count);
  return entries;
}

// Pairs every module tensor with its file entry; throws on any difference.
std::vector<std::pair<const Entry*, const Entry*>> match(const std::vector<Entry>& module,
                                                         const std::vector<Entry>& file,
                                                         const std::string& path) {
  std::map<std::string_view, const Entry*> stored;
  for (const Entry& entry : file) {
    MINIDL_CHECK(stored.emplace(entry.name, &entry).second, "{}: entry '{}' appears twice", path,
                 entry.name);
  }
  std::vector<std::pair<const Entry*, const Entry*>> pairs;
  for (const Entry& wanted : module) {
    auto found = stored.find(wanted.name);
    MINIDL_CHECK(found != stored.end(),
                 "{}: the module's {} '{}' (shape {}) is missing from the file", path,
                 kind_name(wanted.kind), wanted.name, wanted.shape);
    const Entry& entry = *found->second;
    MINIDL_CHECK(entry.kind == wanted.kind,
                 "{}: entry '{}' is a {} in the file but a {} in the module", path, entry.name,
                 kind_name(entry.kind), kind_name(wanted.kind));
    MINIDL_CHECK(entry.shape == wanted.shape,
                 "{}: entry '{}' has shape {} in the file but {} in the module", path, entry.name,
                 entry.shape, wanted.shape);
    pairs.emplace_back(&wanted, &entry);
    stored.erase(found);
  }
  for (const Entry& entry : file) {  // the first file entry left unmatched, if any
    MINIDL_CHECK(!stored.contains(entry.name),
                 "{}: the file's {} '{}' (shape {}) has no counterpart in the module", path,
                 kind_name(entry.kind), entry.name, entry.shape);
  }
  return pairs;
}

}  // namespace

std::string encode(const Module& module) {
  io::ByteWriter body;
  const std::vector<Entry> entries = module_entries(module);
  for (const Entry& entry : entries) {
    body.str(entry.name);
    body.u32(static_cast<uint32_t>(entry.kind));
    body.u32(static_cast<uint32_t>(entry.shape.size()));
    for (int64_t size : entry.shape) body.i64(size);
    Tensor values = entry.tensor.detach().contiguous();
    body.floats(values.data(), values.numel());
  }
  io::ByteWriter header;
  header.u64(magic_value());
  header.u32(kVersion);
  header.u64(kHeaderSize + body.buffer().size() + kChecksumSize);
  header.u64(entries.size());
  return io::with_checksum(header.buffer() + body.buffer());
}

void save(const Module& module, const std::string& path) {
  io::write_file_atomic(path, encode(module));
}

void check_bytes(const Module& module, const std::string& bytes, const std::string& source) {
  try {
    match(module_entries(module), file_entries(bytes, source), source);
  } catch (const Error& error) {
    throw Error(fmt::format("nn::load: {}", error.what()));
  }
}

void load_bytes(Module& module, const std::string& bytes, const std::string& source) {
  std::vector<std::pair<const Entry*, const Entry*>> pairs;
  const std::vector<Entry> targets = module_entries(module);
  std::vector<Entry> stored;
  try {
    stored = file_entries(bytes, source);
    pairs = match(targets, stored, source);
  } catch (const Error& error) {
    throw Error(fmt::format("nn::load: {}", error.what()));
  }
  NoGradGuard no_grad;  // parameters require grad; this copy is not part of any graph
  for (const auto& [target, entry] : pairs) {
    target->tensor.copy_(from_vector(entry->values, entry->shape));
  }
}

void load(Module& module, const std::string& path) {
  std::string bytes;
  try {
    bytes = io::read_file(path);
  } catch (const Error& error) {
    throw Error(fmt::format("nn::load: {}", error.what()));
  }
  load_bytes(module, bytes, path);
}

}  // namespace minidl::nn
