// MNIST from the four original IDX files. Images stay in memory as bytes (47 MB for the training
// set instead of 188 MB of floats) and become floats one batch at a time. Fashion-MNIST (Xiao,
// Rasul and Vollgraf 2017: 28x28 grey images of ten kinds of clothing) comes in the same four
// files and reads the same way, with its own mean and std.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace minidl::data {

/// Which half of MNIST to read.
enum class Split { Train, Test };

/// The mean and standard deviation of MNIST's training pixels scaled to [0, 1].
inline constexpr float kMnistMean = 0.1307F;
inline constexpr float kMnistStd = 0.3081F;  ///< (see kMnistMean)
/// The mean and standard deviation of Fashion-MNIST's training pixels scaled to [0, 1].
inline constexpr float kFashionMnistMean = 0.2860F;
inline constexpr float kFashionMnistStd = 0.3530F;  ///< (see kFashionMnistMean)

/// How MNIST images are turned into floats.
struct MNISTOptions {
  /// Scale pixels to [0, 1] then standardize with `mean` and `std`; when false, pixels are only
  /// scaled to [0, 1].
  bool normalize = true;
  /// Keep only the first `limit` examples (-1 keeps all).
  int64_t limit = -1;
  /// The mean of the training pixels in [0, 1] (kFashionMnistMean for Fashion-MNIST).
  float mean = kMnistMean;
  /// Their standard deviation, > 0 (kFashionMnistStd for Fashion-MNIST).
  float std = kMnistStd;
};

/// MNIST digits (or Fashion-MNIST clothes): inputs [1, 28, 28], targets the class index 0..9 (a
/// 0-d tensor).
class MNIST : public Dataset {
 public:
  /// Reads `dir`/{train,t10k}-{images-idx3,labels-idx1}-ubyte, validating both files.
  MNIST(const std::string& dir, Split split, MNISTOptions options = {});
  int64_t size() const override { return static_cast<int64_t>(labels_.size()); }
  Example get(int64_t index) const override;
  Example get_batch(std::span<const int64_t> indices) const override;

  static constexpr int64_t kRows = 28;
  static constexpr int64_t kCols = 28;

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
