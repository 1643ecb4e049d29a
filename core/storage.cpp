// Aligned allocation for Storage.
#include "core/storage.h"

#include <atomic>
#include <cstdlib>
#include <new>

#include "core/error.h"

namespace minidl {

namespace {
constexpr size_t kAlignment = 64;
std::atomic<int64_t> live_storage_bytes{0};
}  // namespace

Storage::Storage(int64_t size) : size_(size) {
  MINIDL_CHECK(size >= 0, "Storage: negative size {}", size);
  size_t bytes = static_cast<size_t>(size) * sizeof(float);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  if (bytes == 0) bytes = kAlignment;
  void* memory = std::aligned_alloc(kAlignment, bytes);
  if (memory == nullptr) throw std::bad_alloc();
  data_.reset(static_cast<float*>(memory));
  live_storage_bytes += size * static_cast<int64_t>(sizeof(float));
}

Storage::~Storage() { live_storage_bytes -= size_ * static_cast<int64_t>(sizeof(float)); }

int64_t Storage::live_bytes() { return live_storage_bytes.load(); }

void Storage::AlignedFree::operator()(float* pointer) const { std::free(pointer); }

}  // namespace minidl
