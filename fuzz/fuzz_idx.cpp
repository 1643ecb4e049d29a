// libFuzzer target: data::parse_idx on arbitrary bytes, for every dim count MNIST-like files use.
// Bad input must end in minidl::Error; anything else (a crash, a sanitizer report, a leak, another
// exception type) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "data/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int64_t dims = 0; dims <= 4; ++dims) {
    try {
      const minidl::data::IdxFile file = minidl::data::parse_idx(bytes, "fuzz.idx", dims);
      // parse_idx promises exactly product(dims) values; the product must not even overflow.
      uint64_t count = 1;
      for (int64_t size_of_dim : file.dims) {
        if (__builtin_mul_overflow(count, static_cast<uint64_t>(size_of_dim), &count)) {
          __builtin_trap();
        }
      }
      if (count != file.values.size()) __builtin_trap();
    } catch (const minidl::Error&) {
      // the expected outcome for bad bytes
    }
  }
  return 0;
}
