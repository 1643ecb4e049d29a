// Byte-level file plumbing for checkpoints (see serialize.h).
#include "core/serialize.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace minidl::io {

static_assert(std::endian::native == std::endian::little, "minidl files are little-endian");

namespace {

template <class T>
void append_raw(std::string& buffer, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  buffer.append(bytes, sizeof(T));
}

// The CRC-32 lookup table for the reflected IEEE polynomial 0xEDB88320.
std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

std::string system_error_text() { return std::strerror(errno); }

}  // namespace

void ByteWriter::u32(uint32_t value) { append_raw(buffer_, value); }
void ByteWriter::u64(uint64_t value) { append_raw(buffer_, value); }
void ByteWriter::i64(int64_t value) { append_raw(buffer_, value); }
void ByteWriter::f64(double value) { append_raw(buffer_, value); }

void ByteWriter::str(std::string_view text) {
  MINIDL_CHECK(text.size() <= UINT32_MAX, "ByteWriter: string of {} bytes is too long",
               text.size());
  u32(static_cast<uint32_t>(text.size()));
  buffer_.append(text);
}

void ByteWriter::floats(const float* values, int64_t count) {
  MINIDL_CHECK(count >= 0, "ByteWriter: negative float count {}", count);
  if (count == 0) return;  // `values` may be null for an empty tensor
  buffer_.append(reinterpret_cast<const char*>(values), static_cast<size_t>(count) * sizeof(float));
}

ByteReader::ByteReader(std::string data, std::string source)
    : data_(std::move(data)), source_(std::move(source)) {}

const char* ByteReader::take(size_t count, std::string_view what) {
  MINIDL_CHECK(count <= remaining(),
               "{}: truncated file: reading {} needs {} bytes at offset {} but only {} remain",
               source_, what, count, position_, remaining());
  const char* start = data_.data() + position_;
  position_ += count;
  return start;
}

template <class T>
T ByteReader::read(std::string_view what) {
  T value{};
  std::memcpy(&value, take(sizeof(value), what), sizeof(value));
  return value;
}

uint32_t ByteReader::u32(std::string_view what) { return read<uint32_t>(what); }
uint64_t ByteReader::u64(std::string_view what) { return read<uint64_t>(what); }
int64_t ByteReader::i64(std::string_view what) { return read<int64_t>(what); }
double ByteReader::f64(std::string_view what) { return read<double>(what); }

std::string ByteReader::str(std::string_view what, size_t max_length) {
  const uint32_t length = u32(what);
  MINIDL_CHECK(length <= max_length, "{}: {} claims a length of {} bytes (at most {} allowed)",
               source_, what, length, max_length);
  const char* start = take(length, what);
  return {start, length};
}

std::string ByteReader::bytes(size_t count, std::string_view what) {
  const char* start = take(count, what);
  return {start, count};
}

void ByteReader::floats(float* out, int64_t count, std::string_view what) {
  MINIDL_CHECK(count >= 0 && static_cast<uint64_t>(count) <= remaining() / sizeof(float),
               "{}: truncated file: {} needs {} floats at offset {} but only {} bytes remain",
               source_, what, count, position_, remaining());
  const size_t bytes = static_cast<size_t>(count) * sizeof(float);
  if (bytes == 0) return;  // `out` may be null for an empty tensor
  std::memcpy(out, take(bytes, what), bytes);
}

uint32_t crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = make_crc_table();
  uint32_t crc = 0xFFFFFFFFU;
  for (char byte : bytes) crc = table[(crc ^ static_cast<uint8_t>(byte)) & 0xFFU] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFU;
}

std::string with_checksum(std::string body) {
  const uint32_t checksum = crc32(body);
  append_raw(body, checksum);
  return body;
}

std::string verify_checksum(const std::string& data, const std::string& source) {
  MINIDL_CHECK(data.size() >= sizeof(uint32_t),
               "{}: file of {} bytes is too short to hold a checksum", source, data.size());
  const size_t body_size = data.size() - sizeof(uint32_t);
  uint32_t stored = 0;
  std::memcpy(&stored, data.data() + body_size, sizeof(stored));
  const uint32_t computed = crc32(std::string_view(data).substr(0, body_size));
  MINIDL_CHECK(stored == computed,
               "{}: checksum mismatch (stored {:#010x}, computed {:#010x}): the file is corrupt or "
               "truncated",
               source, stored, computed);
  return data.substr(0, body_size);
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  MINIDL_CHECK(fd >= 0, "{}: cannot create temporary file {}: {}", path, temporary,
               system_error_text());
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = system_error_text();
      ::close(fd);
      ::unlink(temporary.c_str());
      throw Error(fmt::format("{}: writing {} failed: {}", path, temporary, reason));
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = system_error_text();
    ::unlink(temporary.c_str());
    throw Error(fmt::format("{}: could not complete the write: {}", path, reason));
  }
  // Persist the rename itself: fsync the directory entry.
  const std::string directory = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

namespace {

// The whole content of `path` in a Bytes container (std::string or std::vector<uint8_t>), sized
// once from the file's length and filled by one read: no growing buffer, no second copy.
template <class Bytes>
Bytes read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  MINIDL_CHECK(in.good(), "{}: cannot open file: {}", path, system_error_text());
  const std::streamoff length = in.tellg();
  MINIDL_CHECK(length >= 0, "{}: cannot tell the file's size", path);
  Bytes bytes(static_cast<size_t>(length), 0);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), length);
  MINIDL_CHECK(!in.bad() && in.gcount() == length, "{}: error while reading ({} of {} bytes)", path,
               in.gcount(), length);
  return bytes;
}

}  // namespace

std::string read_file(const std::string& path) { return read_whole_file<std::string>(path); }

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  return read_whole_file<std::vector<uint8_t>>(path);
}

}  // namespace minidl::io
