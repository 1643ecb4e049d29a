// Regression tests for inputs that made a parser misbehave, found by the fuzzers in fuzz/ or while
// writing their oracles. Each test keeps the offending bytes and states what must happen now.
#include <doctest/doctest.h>

#include <string>

#include "minidl.h"

using namespace minidl;

namespace {

// An unsigned-byte IDX header with the given dims (big-endian), without any values.
std::string idx_header(const std::vector<uint32_t>& dims) {
  std::string bytes{'\0', '\0', '\x08', static_cast<char>(dims.size())};
  for (uint32_t size : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(size >> shift));
  }
  return bytes;
}

}  // namespace

TEST_CASE("IDX dims whose product wraps around 2^64 are refused, not read as 0 values") {
  // 65536^4 = 2^64 wrapped to 0 in the element count, so a 20-byte header with no values
  // parsed as a valid 4-D file whose dims promised 2^64 values.
  const std::string bytes = idx_header({65536, 65536, 65536, 65536});
  CHECK_THROWS_WITH_AS(data::parse_idx(bytes, "wrap.idx", 4),
                       doctest::Contains("wrap.idx: the dims [65536, 65536, 65536"), Error);
}

TEST_CASE("fuzz_idx crash-c906f056: dims 2^27 x 2^22 x 0xeff614f5 x 0xbf410000 wrap to 0") {
  // The reproducer libFuzzer wrote against the unfixed parser, byte for byte.
  const std::string bytes(
      "\x00\x00\x08\x04\x08\x00\x00\x00\x00\x40\x00\x00\xef\xf6\x14\xf5"
      "\xbf\x41\x00\x00",
      20);
  CHECK_THROWS_WITH_AS(data::parse_idx(bytes, "crash.idx", 4),
                       doctest::Contains("describe more values than any file can hold"), Error);
}

TEST_CASE("IDX dims with a large but representable product are a truncated file") {
  const std::string bytes = idx_header({65536, 65536, 65535});
  CHECK_THROWS_WITH_AS(data::parse_idx(bytes, "big.idx", 3),
                       doctest::Contains("big.idx: truncated file"), Error);
}
