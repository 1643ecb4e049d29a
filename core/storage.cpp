// Aligned allocation for Storage.
#include "core/storage.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace minidl {

namespace {

constexpr size_t kAlignment = 64;
std::atomic<int64_t> live_storage_bytes{0};

// Freed buffers of at least kMinCachedBytes are kept, by size, for the next allocation of the
// same size: a training step allocates the same buffers every time, so after the first step it
// reuses them instead of asking the OS for fresh (zero-filled, page-faulting) memory. At most a
// quarter of the machine's memory is kept (max_cached_bytes): enough for a whole step of the
// CIFAR-shaped CNN at batch 256 (~0.8 GiB, whose step took 3.3x as long with a cap of 512 MiB,
// refaulting what did not fit), and the cache never holds more than the program's own peak.
// Sanitizer builds skip the cache so use-after-free stays detectable.
constexpr size_t kMinCachedBytes = 16 * 1024;
size_t max_cached_bytes() {
  static const size_t bytes = static_cast<size_t>(Storage::max_size()) * sizeof(float) / 4;
  return bytes;
}

class BufferCache {
 public:
  void* take(size_t bytes) {
    if (!enabled(bytes)) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = free_.find(bytes);
    if (found == free_.end() || found->second.empty()) return nullptr;
    void* buffer = found->second.back();
    found->second.pop_back();
    cached_bytes_ -= bytes;
    return buffer;
  }

  // Keeps `buffer` for reuse, or frees it when the cache is full or gone.
  void give(void* buffer, size_t bytes) {
    if (enabled(bytes)) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!closed_ && cached_bytes_ + bytes <= max_cached_bytes()) {
        free_[bytes].push_back(buffer);
        cached_bytes_ += bytes;
        return;
      }
    }
    std::free(buffer);
  }

  ~BufferCache() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [bytes, buffers] : free_) {
      for (void* buffer : buffers) std::free(buffer);
    }
    free_.clear();
    closed_ = true;  // storages freed after this point go straight to free()
  }

 private:
  static bool enabled(size_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
    (void)bytes;
    return false;
#else
    return bytes >= kMinCachedBytes;
#endif
  }
  std::mutex mutex_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t cached_bytes_ = 0;
  bool closed_ = false;
};

BufferCache& buffer_cache() {
  static BufferCache cache;
  return cache;
}

size_t allocation_bytes(int64_t size) {
  size_t bytes = static_cast<size_t>(size) * sizeof(float);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  return bytes == 0 ? kAlignment : bytes;
}

}  // namespace

namespace {

// Physical memory in bytes, or the largest aligned size a pointer difference can span when the
// system does not say.
int64_t physical_memory_bytes() {
  const int64_t address_limit = std::numeric_limits<std::ptrdiff_t>::max() / 2;
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0 || pages > address_limit / page_size) return address_limit;
  return static_cast<int64_t>(pages) * page_size;
}

// A 64-byte aligned buffer for `size` floats, from the cache when one of that size is free.
float* allocate(int64_t size) {
  MINIDL_CHECK(size >= 0, "Storage: negative size {}", size);
  MINIDL_CHECK(size <= Storage::max_size(),
               "Storage: {} floats ({} bytes) is more than this machine's {} bytes of memory", size,
               static_cast<uint64_t>(size) * sizeof(float),
               Storage::max_size() * static_cast<int64_t>(sizeof(float)));
  const size_t bytes = allocation_bytes(size);
  void* memory = buffer_cache().take(bytes);
  if (memory == nullptr) memory = std::aligned_alloc(kAlignment, bytes);
  MINIDL_CHECK(memory != nullptr, "Storage: out of memory allocating {} floats ({} bytes)", size,
               bytes);
  return static_cast<float*>(memory);
}

}  // namespace

Storage::Storage(int64_t size)
    : data_(allocate(size), AlignedFree{allocation_bytes(size)}), size_(size) {
  live_storage_bytes += size * static_cast<int64_t>(sizeof(float));
}

Storage::~Storage() { live_storage_bytes -= size_ * static_cast<int64_t>(sizeof(float)); }

int64_t Storage::live_bytes() { return live_storage_bytes.load(); }

int64_t Storage::max_size() {
  static const int64_t floats = physical_memory_bytes() / static_cast<int64_t>(sizeof(float));
  return floats;
}

void Storage::AlignedFree::operator()(float* pointer) const { buffer_cache().give(pointer, bytes); }

}  // namespace minidl
