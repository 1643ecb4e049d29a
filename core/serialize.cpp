// Byte-level file plumbing for checkpoints (see serialize.h).
#include "core/serialize.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "core/error.h"
#include "core/storage.h"

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

int64_t ByteReader::count(std::string_view what) {
  const int64_t value = i64(what);
  check_count(source_, what, value);
  return value;
}

void check_count(std::string_view source, std::string_view what, int64_t count) {
  MINIDL_CHECK(count >= 0 && count <= kMaxCount,
               "{}: {} is {}, but a count must be between 0 and 2^53 (a corrupt or forged file?)",
               source, what, count);
}

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

namespace {

// What a path that is not a regular file is, for error messages.
std::string_view file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// Refuses paths the OS would misread: empty, or cut short by a NUL byte.
void check_path(const std::string& path) {
  MINIDL_CHECK(!path.empty(), "empty file path");
  MINIDL_CHECK(path.find('\0') == std::string::npos, "{}: the file path contains a NUL byte",
               path.c_str());
}

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now and reports whether close succeeded.
  bool close() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

// Numbers every write of this process, so that each writer (thread or call) has its own
// temp file "<path>.tmp.<pid>.<serial>".
std::atomic<uint64_t> write_serial{0};

// The pid in a temp file name "<target>.tmp.<pid>" or "<target>.tmp.<pid>.<serial>" that
// starts with `prefix` ("<target>.tmp."); 0 when the name is not of that form.
pid_t temp_owner(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return 0;
  name.remove_prefix(prefix.size());
  const std::string_view pid_text = name.substr(0, name.find('.'));
  const std::string_view rest = name.substr(pid_text.size());
  const auto digits = [](std::string_view text) {
    return !text.empty() && text.size() <= 18 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(pid_text) || !(rest.empty() || digits(rest.substr(1)))) return 0;
  const int64_t pid = std::stoll(std::string(pid_text));
  return pid > 0 && pid <= std::numeric_limits<pid_t>::max() ? static_cast<pid_t>(pid) : 0;
}

// Removes the temp files of `path` whose writers no longer run (killed during a save). Best
// effort: the save itself has already succeeded, so nothing here throws.
void remove_stale_temps(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp.";
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  for (fs::directory_iterator entry(directory, error), end; !error && entry != end;
       entry.increment(error)) {
    const pid_t owner = temp_owner(entry->path().filename().string(), prefix);
    if (owner == 0 || owner == ::getpid()) continue;
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code ignored;
    if (entry->is_regular_file(ignored) && !entry->is_symlink(ignored)) {
      fs::remove(entry->path(), ignored);
    }
  }
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
  check_path(path);
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    MINIDL_CHECK(S_ISREG(existing.st_mode), "{}: cannot write: it is {}, not a regular file", path,
                 file_kind(existing.st_mode));
  } else {
    // A missing file is what a first save sees; a loop of links or a name too long is not.
    MINIDL_CHECK(errno == ENOENT, "{}: cannot write: {}", path, system_error_text());
  }
  const std::string temporary = fmt::format("{}.tmp.{}.{}", path, ::getpid(), write_serial++);
  FileDescriptor file(
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0644));
  MINIDL_CHECK(file.get() >= 0, "{}: cannot create temporary file {}: {}", path, temporary,
               system_error_text());
  // Removes the temp file and throws, naming `step` ("writing", "completing") and errno's reason.
  const auto fail = [&](const char* step) {
    const std::string reason = system_error_text();
    ::unlink(temporary.c_str());
    throw Error(
        fmt::format("{}: {} the temporary file {} failed: {}", path, step, temporary, reason));
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(file.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("writing");
    written += static_cast<size_t>(n);
  }
  if (::fsync(file.get()) != 0 || !file.close() || ::rename(temporary.c_str(), path.c_str()) != 0) {
    fail("syncing and renaming");
  }
  // Persist the rename itself: fsync the directory entry.
  const std::string directory = std::filesystem::path(path).parent_path().string();
  FileDescriptor directory_file(
      ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory_file.get() >= 0) ::fsync(directory_file.get());
  remove_stale_temps(path);
}

namespace {

// The whole content of `path` in a Bytes container (std::string or std::vector<uint8_t>), sized
// once from the file's length and filled by reads: no growing buffer, no second copy. Only a
// regular file is read: a directory or device is refused, and a FIFO is opened without
// blocking and refused too, so a wrong path never hangs.
template <class Bytes>
Bytes read_whole_file(const std::string& path) {
  check_path(path);
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  MINIDL_CHECK(file.get() >= 0, "{}: cannot open file: {}", path, system_error_text());
  struct stat info {};
  MINIDL_CHECK(::fstat(file.get(), &info) == 0, "{}: cannot read the file's status: {}", path,
               system_error_text());
  MINIDL_CHECK(S_ISREG(info.st_mode), "{}: cannot read: it is {}, not a regular file", path,
               file_kind(info.st_mode));
  const auto memory = static_cast<uint64_t>(Storage::max_size()) * sizeof(float);
  MINIDL_CHECK(static_cast<uint64_t>(info.st_size) <= memory,
               "{}: the file's {} bytes are more than this machine's {} bytes of memory", path,
               info.st_size, memory);
  const auto length = static_cast<size_t>(info.st_size);
  Bytes bytes(length, 0);
  size_t done = 0;
  while (done < length) {
    const ssize_t n = ::read(file.get(), bytes.data() + done, length - done);
    if (n < 0 && errno == EINTR) continue;
    MINIDL_CHECK(n > 0, "{}: error while reading ({} of {} bytes): {}", path, done, length,
                 n == 0 ? std::string("the file shrank") : system_error_text());
    done += static_cast<size_t>(n);
  }
  return bytes;
}

}  // namespace

std::string read_file(const std::string& path) { return read_whole_file<std::string>(path); }

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  return read_whole_file<std::vector<uint8_t>>(path);
}

}  // namespace minidl::io
