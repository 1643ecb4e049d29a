// MNIST and the IDX reader on small files the tests write themselves: good files load, and each
// kind of bad file gives an error naming the file and what is wrong.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "data/idx.h"
#include "data/mnist.h"
#include "minidl.h"

using namespace minidl;
using namespace minidl::data;

namespace {

std::string big_endian(uint32_t value) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<size_t>(i)] = static_cast<char>((value >> (24 - 8 * i)) & 0xFFU);
  return out;
}

// An IDX file of unsigned bytes with the given dims; `values` are taken as given (so tests can
// write too few).
std::string idx_bytes(const std::vector<uint32_t>& dims, const std::string& values,
                      uint32_t magic = 0) {
  std::string out = big_endian(magic != 0 ? magic : (0x0800U | static_cast<uint32_t>(dims.size())));
  for (uint32_t d : dims) out += big_endian(d);
  return out + values;
}

// A scratch folder holding a tiny MNIST split ("t10k") of `count` images of rows x cols.
struct TinyMnist {
  std::filesystem::path dir;
  std::string images;
  std::string labels;

  explicit TinyMnist(const std::string& name, uint32_t count = 3, uint32_t rows = 28,
                     uint32_t cols = 28) {
    dir = std::filesystem::temp_directory_path() / ("minidl_test_mnist_" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string pixels(count * rows * cols, '\0');
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<char>(i % 256);
    std::string digits;
    for (uint32_t i = 0; i < count; ++i) digits += static_cast<char>(i % 10);
    images = idx_bytes({count, rows, cols}, pixels);
    labels = idx_bytes({count}, digits);
  }
  void write() const {
    std::ofstream(dir / "t10k-images-idx3-ubyte", std::ios::binary) << images;
    std::ofstream(dir / "t10k-labels-idx1-ubyte", std::ios::binary) << labels;
  }
  std::string images_path() const { return (dir / "t10k-images-idx3-ubyte").string(); }
  ~TinyMnist() { std::filesystem::remove_all(dir); }
};

}  // namespace

TEST_CASE("MNIST reads images as [1, 28, 28] and labels as class indices") {
  TinyMnist files("good");
  files.write();
  MNIST raw(files.dir.string(), Split::Test, {.normalize = false});
  CHECK(raw.size() == 3);
  Example e = raw.get(1);
  CHECK(e.input.shape() == Shape{1, 28, 28});
  CHECK(e.target.item() == 1.0F);
  CHECK(e.input.at({0, 0, 0}) == doctest::Approx(static_cast<float>(784 % 256) / 255.0F));

  MNIST normalized(files.dir.string(), Split::Test);
  const float pixel = static_cast<float>(784 % 256) / 255.0F;
  CHECK(normalized.get(1).input.at({0, 0, 0}) == doctest::Approx((pixel - 0.1307F) / 0.3081F));
  std::vector<int64_t> indices = {2, 0};
  Example batch = normalized.get_batch(indices);
  CHECK(batch.input.shape() == Shape{2, 1, 28, 28});
  CHECK(batch.target.to_vector() == std::vector<float>{2, 0});
  CHECK(batch.input.at({1, 0, 0, 5}) == doctest::Approx(normalized.get(0).input.at({0, 0, 5})));
  CHECK(MNIST(files.dir.string(), Split::Test, {.limit = 2}).size() == 2);
}

TEST_CASE("MNIST standardizes with the mean and std it is given (Fashion-MNIST's)") {
  TinyMnist files("fashion");
  files.write();
  MNIST fashion(files.dir.string(), Split::Test,
                {.mean = kFashionMnistMean, .std = kFashionMnistStd});
  const float pixel = static_cast<float>(784 % 256) / 255.0F;
  CHECK(fashion.get(1).input.at({0, 0, 0}) == doctest::Approx((pixel - 0.2860F) / 0.3530F));
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test, {.std = 0.0F}),
                       "MNIST: std must be positive and mean finite, got mean 0.1307 and std 0",
                       Error);
}

TEST_CASE("a missing MNIST file is named, with a hint to fetch the data") {
  TinyMnist files("missing");
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test),
                       doctest::Contains("t10k-images-idx3-ubyte: file not found"), Error);
}

TEST_CASE("a wrong magic number names the file, expected and found") {
  TinyMnist files("magic");
  files.images[2] = 0x09;  // type code: signed bytes
  files.write();
  const std::string expected = files.images_path() +
                               ": wrong magic number: expected 0x00000803 (unsigned bytes, 3 "
                               "dims), found 0x00000903";
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test), expected.c_str(), Error);
}

TEST_CASE("a truncated file names the file and the expected and found lengths") {
  TinyMnist files("truncated");
  files.images.resize(files.images.size() - 100);
  files.write();
  const std::string expected = files.images_path() +
                               ": truncated file: the header (dims [3, 28, 28]) needs 2368 bytes, "
                               "found 2268";
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test), expected.c_str(), Error);
  CHECK_THROWS_WITH_AS(parse_idx(std::string("\0\0", 2), "x.idx", 1),
                       doctest::Contains("x.idx: not an IDX file"), Error);
}

TEST_CASE("image and label counts must match") {
  TinyMnist files("count");
  files.labels = idx_bytes({2}, std::string("\1\2", 2));
  files.write();
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test), doctest::Contains("3 images but"),
                       Error);
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test),
                       doctest::Contains("t10k-labels-idx1-ubyte has 2 labels"), Error);
}

TEST_CASE("a wrong image size names expected and found sizes") {
  TinyMnist files("size", 3, 32, 32);
  files.write();
  const std::string expected =
      files.images_path() + ": wrong image size: expected 28x28, found 32x32";
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test), expected.c_str(), Error);
}

TEST_CASE("a label outside 0..9 is reported with its position") {
  TinyMnist files("label");
  files.labels.back() = 12;
  files.write();
  CHECK_THROWS_WITH_AS(MNIST(files.dir.string(), Split::Test),
                       doctest::Contains("label 12 at position 2 is not a digit"), Error);
}
