// MNIST: both IDX files validated against each other, bytes converted per batch.
#include "data/mnist.h"

#include <cmath>
#include <filesystem>
#include <utility>

#include "core/error.h"
#include "data/idx.h"

namespace minidl::data {

MNIST::MNIST(const std::string& dir, Split split, MNISTOptions options) {
  const std::string prefix = split == Split::Train ? "train" : "t10k";
  const std::string images_path =
      (std::filesystem::path(dir) / (prefix + "-images-idx3-ubyte")).string();
  const std::string labels_path =
      (std::filesystem::path(dir) / (prefix + "-labels-idx1-ubyte")).string();
  IdxFile images = read_idx(images_path, 3);
  IdxFile labels = read_idx(labels_path, 1);
  MINIDL_CHECK(images.dims[1] == kRows && images.dims[2] == kCols,
               "{}: wrong image size: expected {}x{}, found {}x{}", images_path, kRows, kCols,
               images.dims[1], images.dims[2]);
  MINIDL_CHECK(images.dims[0] == labels.dims[0], "{}: {} images but {} has {} labels", images_path,
               images.dims[0], labels_path, labels.dims[0]);
  for (size_t i = 0; i < labels.values.size(); ++i) {
    MINIDL_CHECK(labels.values[i] <= 9, "{}: label {} at position {} is not a digit 0..9",
                 labels_path, labels.values[i], i);
  }
  MINIDL_CHECK(options.limit >= -1, "MNIST: limit must be -1 (all) or a count, got {}",
               options.limit);
  MINIDL_CHECK(options.std > 0.0F && std::isfinite(options.std) && std::isfinite(options.mean),
               "MNIST: std must be positive and mean finite, got mean {} and std {}", options.mean,
               options.std);
  int64_t count = images.dims[0];
  if (options.limit >= 0 && options.limit < count) count = options.limit;
  pixels_ = std::move(images.values);  // no copy of the 47 MB of training images
  labels_ = std::move(labels.values);
  if (count < images.dims[0]) {  // keep only the first `count` examples
    pixels_.resize(static_cast<size_t>(count * kRows * kCols));
    pixels_.shrink_to_fit();
    labels_.resize(static_cast<size_t>(count));
  }
  scale_ = options.normalize ? 1.0F / (255.0F * options.std) : 1.0F / 255.0F;
  shift_ = options.normalize ? -options.mean / options.std : 0.0F;
}

void MNIST::prefetch_image(int64_t index) const {
  if (index < 0 || index >= size()) return;  // get_batch reports bad indices itself
  const uint8_t* pixels = pixels_.data() + index * kRows * kCols;
  for (int64_t offset = 0; offset < kRows * kCols; offset += 64)
    __builtin_prefetch(pixels + offset);
}

void MNIST::convert_image(int64_t index, float* out) const {
  const uint8_t* pixels = pixels_.data() + index * kRows * kCols;
  // Locals, not the members: a float store through `out` could alias them, which would make the
  // compiler reload them every iteration instead of vectorising the loop.
  const float scale = scale_;
  const float shift = shift_;
  for (int64_t i = 0; i < kRows * kCols; ++i)
    out[i] = static_cast<float>(pixels[i]) * scale + shift;
}

Example MNIST::get(int64_t index) const {
  check_index("MNIST", index);
  Tensor image = Tensor::empty({1, kRows, kCols});
  convert_image(index, image.data());
  Tensor label = Tensor::empty({});
  label.data()[0] = labels_[static_cast<size_t>(index)];
  return {image, label};
}

Example MNIST::get_batch(std::span<const int64_t> indices) const {
  const auto batch = static_cast<int64_t>(indices.size());
  Tensor images = Tensor::empty({batch, 1, kRows, kCols});
  Tensor labels = Tensor::empty({batch});
  for (int64_t i = 0; i < batch; ++i) {
    const int64_t index = indices[static_cast<size_t>(i)];
    check_index("MNIST", index);
    if (i + 1 < batch) prefetch_image(indices[static_cast<size_t>(i + 1)]);
    convert_image(index, images.data() + i * kRows * kCols);
    labels.data()[i] = labels_[static_cast<size_t>(index)];
  }
  return {images, labels};
}

}  // namespace minidl::data
