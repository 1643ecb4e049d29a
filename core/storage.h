// Storage: a 64-byte aligned, fixed-size float buffer that tensors (and their views) share, with
// a version counter that every in-place change bumps, so autograd can refuse a tensor that was
// modified after an op saved it for backward. Large buffers are recycled through a size-keyed
// cache (see storage.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace minidl {

/// A heap buffer of float32, 64-byte aligned so kernels and BLAS see cache-line aligned rows.
class Storage {
 public:
  /// Allocates `size` floats; their values are unspecified until written. Throws minidl::Error
  /// when `size` is negative or above max_size(), or when the allocation fails.
  explicit Storage(int64_t size);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  /// Bytes held by all live Storage objects (for memory tests and benchmarks).
  static int64_t live_bytes();
  /// The most floats one Storage may hold: as many as fit in this machine's physical memory
  /// (a larger buffer could never be filled), so a huge request fails with a clear Error.
  static int64_t max_size();

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  int64_t size() const { return size_; }

  /// The number of in-place changes so far (see autograd::SavedTensor).
  uint64_t version() const { return version_; }
  /// Records an in-place change; in-place tensor methods and optimizer steps call it.
  void bump_version() { ++version_; }

 private:
  struct AlignedFree {
    size_t bytes = 0;  // the allocation's size, so a freed buffer can be cached for reuse
    void operator()(float* pointer) const;
  };
  std::unique_ptr<float[], AlignedFree> data_;
  int64_t size_;
  uint64_t version_ = 0;
};

}  // namespace minidl
