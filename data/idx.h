// The IDX file format of the original MNIST files: a 4-byte magic (two zero bytes, a type code,
// the number of dims), one big-endian u32 size per dim, then the values row-major. minidl reads
// the unsigned-byte type (0x08), the only one MNIST uses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minidl::data {

/// The contents of an unsigned-byte IDX file.
struct IdxFile {
  std::vector<int64_t> dims;    ///< sizes, outermost first
  std::vector<uint8_t> values;  ///< product(dims) bytes, row-major
};

/// Parses IDX `bytes` read from `path`, expecting `expected_dims` dims of unsigned bytes; the
/// values reuse the buffer of `bytes` (no copy of a 47 MB image file). Throws minidl::Error naming
/// the path and what is wrong (expected vs found): wrong magic, wrong type or dim count, or a
/// length that does not match the header.
IdxFile parse_idx(std::vector<uint8_t> bytes, const std::string& path, int64_t expected_dims);

/// parse_idx on a copy of `bytes` (for callers holding text, such as tests and the fuzzer).
IdxFile parse_idx(std::string_view bytes, const std::string& path, int64_t expected_dims);

/// Reads and parses the IDX file at `path` (see parse_idx); a missing file is an error too.
IdxFile read_idx(const std::string& path, int64_t expected_dims);

}  // namespace minidl::data
