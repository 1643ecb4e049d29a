// IDX parsing with a check of every header field and of the file length.
#include "data/idx.h"

#include <filesystem>
#include <utility>

#include "core/error.h"
#include "core/serialize.h"

namespace minidl::data {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;
constexpr int64_t kMaxDims = 8;

uint32_t big_endian_u32(const std::vector<uint8_t>& bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | bytes[offset + i];
  return value;
}

}  // namespace

IdxFile parse_idx(std::vector<uint8_t> bytes, const std::string& path, int64_t expected_dims) {
  MINIDL_CHECK(bytes.size() >= 4, "{}: not an IDX file: {} bytes is shorter than the 4-byte magic",
               path, bytes.size());
  const uint8_t zero0 = bytes[0];
  const uint8_t zero1 = bytes[1];
  const uint8_t type = bytes[2];
  const auto ndims = static_cast<int64_t>(bytes[3]);
  const uint32_t expected_magic =
      (uint32_t{kUnsignedByte} << 8) | static_cast<uint32_t>(expected_dims);
  MINIDL_CHECK(
      zero0 == 0 && zero1 == 0 && type == kUnsignedByte && ndims == expected_dims,
      "{}: wrong magic number: expected {:#010x} (unsigned bytes, {} dims), found {:#010x}", path,
      expected_magic, expected_dims, big_endian_u32(bytes, 0));
  MINIDL_CHECK(ndims <= kMaxDims, "{}: {} dims is more than the {} supported", path, ndims,
               kMaxDims);
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  MINIDL_CHECK(bytes.size() >= header, "{}: truncated header: expected {} bytes, found {}", path,
               header, bytes.size());
  IdxFile file;
  uint64_t count = 1;
  for (int64_t d = 0; d < ndims; ++d) {
    const uint32_t size = big_endian_u32(bytes, 4 + 4 * static_cast<size_t>(d));
    file.dims.push_back(size);
    // The product must not wrap around: dims such as 65536^4 would otherwise "need" 0 bytes.
    MINIDL_CHECK(size == 0 || count <= (UINT64_MAX - header) / size,
                 "{}: the dims {} (so far) describe more values than any file can hold", path,
                 file.dims);
    count *= size;
  }
  const uint64_t expected_length = header + count;
  MINIDL_CHECK(bytes.size() == expected_length,
               "{}: {}: the header (dims {}) needs {} bytes, found {}", path,
               bytes.size() < expected_length ? "truncated file" : "trailing bytes", file.dims,
               expected_length, bytes.size());
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header));  // in place
  file.values = std::move(bytes);
  return file;
}

IdxFile parse_idx(std::string_view bytes, const std::string& path, int64_t expected_dims) {
  return parse_idx(std::vector<uint8_t>(bytes.begin(), bytes.end()), path, expected_dims);
}

IdxFile read_idx(const std::string& path, int64_t expected_dims) {
  std::error_code error;  // set when the path cannot even be looked up; read_file says why
  MINIDL_CHECK(std::filesystem::exists(path, error) || error,
               "{}: file not found (run scripts/fetch_mnist.sh, with --dataset fashion for "
               "Fashion-MNIST, or pass the folder that holds the IDX files)",
               path);
  return parse_idx(io::read_file_bytes(path), path, expected_dims);
}

}  // namespace minidl::data
