// MNIST from the four original IDX files. Images stay in memory as bytes (47 MB for the training
// set instead of 188 MB of floats) and become floats one batch at a time.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace minidl::data {

/// Which half of MNIST to read.
enum class Split { Train, Test };

/// How MNIST images are turned into floats.
struct MNISTOptions {
  /// Scale pixels to [0, 1] then standardize with the training set's mean 0.1307 and std 0.3081;
  /// when false, pixels are only scaled to [0, 1].
  bool normalize = true;
  /// Keep only the first `limit` examples (-1 keeps all).
  int64_t limit = -1;
};

/// MNIST digits: inputs [1, 28, 28], targets the class index 0..9 (a 0-d tensor).
class MNIST : public Dataset {
 public:
  /// Reads `dir`/{train,t10k}-{images-idx3,labels-idx1}-ubyte, validating both files.
  MNIST(const std::string& dir, Split split, MNISTOptions options = {});
  int64_t size() const override { return static_cast<int64_t>(labels_.size()); }
  Example get(int64_t index) const override;
  Example get_batch(std::span<const int64_t> indices) const override;

  static constexpr int64_t kRows = 28;
  static constexpr int64_t kCols = 28;
  static constexpr float kMean = 0.1307F;
  static constexpr float kStd = 0.3081F;

 private:
  void convert_image(int64_t index, float* out) const;
  // Asks the CPU to start loading image `index` (the next one of a batch) into the cache: the
  // images of a shuffled batch lie far apart in 47 MB, so each would otherwise wait for memory.
  void prefetch_image(int64_t index) const;
  std::vector<uint8_t> pixels_;  // [size, 28, 28]
  std::vector<uint8_t> labels_;  // [size]
  float scale_;                  // pixel byte -> float: byte * scale_ + shift_
  float shift_;
};

}  // namespace minidl::data
