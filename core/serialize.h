// Binary file plumbing shared by model checkpoints and optimizer state: a little-endian byte
// writer and a bounds-checked reader, a CRC-32 checksum, and atomic file writes (temp file in the
// same directory, fsync, rename), so a crash never leaves a half-written file behind. Every
// file minidl reads or writes goes through read_file / write_file_atomic, which refuse paths
// that are not regular files (directories, FIFOs, devices), loops of symbolic links and names
// too long with a minidl::Error naming the path and the reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minidl::io {

/// The largest step, epoch or other count a file may hold: 2^53, far beyond any real run, held
/// exactly by a double and nowhere near overflowing when incremented.
inline constexpr int64_t kMaxCount = int64_t{1} << 53;
/// Throws minidl::Error naming `source` and `what` unless 0 <= count <= kMaxCount.
void check_count(std::string_view source, std::string_view what, int64_t count);

/// Builds a little-endian byte buffer.
class ByteWriter {
 public:
  void u32(uint32_t value);
  void u64(uint64_t value);
  void i64(int64_t value);
  void f64(double value);
  /// A u32 length followed by the bytes.
  void str(std::string_view text);
  /// `count` float32 values.
  void floats(const float* values, int64_t count);
  /// Raw bytes, without a length.
  void bytes(std::string_view raw) { buffer_.append(raw); }
  /// The bytes written so far.
  const std::string& buffer() const { return buffer_; }

 private:
  std::string buffer_;
};

/// Reads a byte buffer; every read is bounds-checked and a short or bad read throws
/// minidl::Error naming `source` (the file), the offset and `what` was being read.
class ByteReader {
 public:
  ByteReader(std::string data, std::string source);
  uint32_t u32(std::string_view what);
  uint64_t u64(std::string_view what);
  int64_t i64(std::string_view what);
  /// An i64 that counts something (steps, epochs), checked by check_count.
  int64_t count(std::string_view what);
  double f64(std::string_view what);
  /// A string written by ByteWriter::str, at most `max_length` bytes long.
  std::string str(std::string_view what, size_t max_length = 4096);
  /// The next `count` raw bytes.
  std::string bytes(size_t count, std::string_view what);
  /// Reads `count` float32 values into `out`.
  void floats(float* out, int64_t count, std::string_view what);
  size_t position() const { return position_; }
  size_t remaining() const { return data_.size() - position_; }
  bool at_end() const { return position_ == data_.size(); }
  const std::string& source() const { return source_; }

 private:
  const char* take(size_t count, std::string_view what);
  template <class T>
  T read(std::string_view what);  // one little-endian value of type T
  std::string data_;
  std::string source_;
  size_t position_ = 0;
};

/// CRC-32 (IEEE 802.3 polynomial) of `bytes`.
uint32_t crc32(std::string_view bytes);
/// `body` followed by its CRC-32 as a little-endian u32.
std::string with_checksum(std::string body);
/// Checks the trailing CRC-32 written by with_checksum and returns the body without it;
/// throws minidl::Error naming `source` when the file is too short or the checksum differs.
std::string verify_checksum(const std::string& data, const std::string& source);
/// Writes `bytes` to `path` atomically: a temp file "<path>.tmp.<pid>.<serial>" of its own for
/// every writer (thread or process), fsync, rename. Concurrent saves of one path leave one
/// complete file; a successful save removes the temp files of `path` left by writers that were
/// killed. Throws minidl::Error when `path` exists but is not a regular file, or cannot be written.
void write_file_atomic(const std::string& path, std::string_view bytes);
/// The whole content of the regular file `path` (a FIFO is refused, never waited on); throws
/// minidl::Error naming the path and the reason when it cannot be read.
std::string read_file(const std::string& path);
/// The same as read_file, as unsigned bytes.
std::vector<uint8_t> read_file_bytes(const std::string& path);

}  // namespace minidl::io
