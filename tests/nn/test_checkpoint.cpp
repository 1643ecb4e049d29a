// nn::save / nn::load: round trips, the documented header, atomic replacement, and one test per
// kind of bad file, each checking the error names the file (and entry) and the module is intact.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "minidl.h"

using namespace minidl;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() / ("minidl-nn-checkpoint-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Conv + BatchNorm + Linear: parameters and buffers, several shapes.
std::shared_ptr<nn::Sequential> small_model(uint64_t seed) {
  Generator init(seed);
  return std::make_shared<nn::Sequential>(nn::Conv2d({.in = 1, .out = 2, .kernel = 3}, init),
                                          nn::BatchNorm2d({.features = 2}), nn::ReLU(),
                                          nn::Flatten(), nn::Linear({.in = 8, .out = 3}, init));
}

// Every parameter and buffer value, by name.
std::vector<std::pair<std::string, std::vector<float>>> snapshot(const nn::Module& module) {
  std::vector<std::pair<std::string, std::vector<float>>> values;
  for (auto& [name, t] : module.named_parameters()) values.emplace_back(name, t.to_vector());
  for (auto& [name, t] : module.named_buffers()) values.emplace_back(name, t.to_vector());
  return values;
}

// Loading `path` into `module` throws an Error containing the path and `expected`, and leaves
// every parameter and buffer of the module as it was.
void check_rejected(nn::Module& module, const std::string& path, const std::string& expected) {
  const auto before = snapshot(module);
  std::string message;
  try {
    nn::load(module, path);
  } catch (const Error& error) {
    message = error.what();
  }
  INFO("message: " << message);
  CHECK(message.find("nn::load: " + path) == 0);
  CHECK(message.find(expected) != std::string::npos);
  CHECK(snapshot(module) == before);
}

// A saved model whose batch-norm running statistics are no longer the defaults.
std::string saved_trained_model(const ScratchDir& dir) {
  auto model = small_model(1);
  Generator generator(3);
  (*model)(randn({4, 1, 4, 4}, generator));  // moves the running statistics
  const std::string path = dir.file("model.ckpt");
  nn::save(*model, path);
  return path;
}

}  // namespace

TEST_CASE("save then load restores every parameter and buffer") {
  ScratchDir dir;
  auto source = small_model(1);
  Generator generator(3);
  (*source)(randn({4, 1, 4, 4}, generator));
  nn::save(*source, dir.file("model.ckpt"));
  auto target = small_model(50);
  CHECK(snapshot(*target) != snapshot(*source));
  nn::load(*target, dir.file("model.ckpt"));
  CHECK(snapshot(*target) == snapshot(*source));
  for (const Tensor& parameter : target->parameters()) CHECK(parameter.requires_grad());
}

TEST_CASE("a checkpoint starts with the documented header") {
  ScratchDir dir;
  nn::Linear linear({.in = 2, .out = 3});
  nn::save(linear, dir.file("linear.ckpt"));
  const std::string bytes = read_bytes(dir.file("linear.ckpt"));
  CHECK(bytes.substr(0, 8) == "MINIDLCK");
  uint32_t version = 0;
  uint64_t size = 0;
  uint64_t count = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&size, bytes.data() + 12, 8);
  std::memcpy(&count, bytes.data() + 20, 8);
  CHECK(version == 1);
  CHECK(size == bytes.size());
  CHECK(count == 2);
  // weight: name (4 + 6) + kind 4 + ndim 4 + dims 16 + 6 floats; bias: (4 + 4) + 4 + 4 + 8 + 12;
  // header 28 and checksum 4
  CHECK(bytes.size() == 28 + (10 + 4 + 4 + 16 + 24) + (8 + 4 + 4 + 8 + 12) + 4);
}

TEST_CASE("save replaces an existing checkpoint and leaves no temporary file") {
  ScratchDir dir;
  nn::Linear first({.in = 2, .out = 2});
  nn::Linear second({.in = 2, .out = 2});
  nn::save(first, dir.file("model.ckpt"));
  nn::save(second, dir.file("model.ckpt"));
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    CHECK(entry.path().filename() == "model.ckpt");
    ++files;
  }
  CHECK(files == 1);
  nn::Linear restored({.in = 2, .out = 2});
  nn::load(restored, dir.file("model.ckpt"));
  CHECK(restored.weight().to_vector() == second.weight().to_vector());
}

TEST_CASE("load rejects a file with the wrong magic") {
  ScratchDir dir;
  const std::string path = saved_trained_model(dir);
  std::string bytes = read_bytes(path);
  bytes[0] = 'X';
  write_bytes(path, bytes);
  auto model = small_model(9);
  check_rejected(*model, path, "not a minidl checkpoint");
}

TEST_CASE("load rejects an unsupported version") {
  ScratchDir dir;
  const std::string path = saved_trained_model(dir);
  std::string bytes = read_bytes(path);
  bytes[8] = 2;  // version 2 (the checksum is checked later)
  write_bytes(path, bytes);
  auto model = small_model(9);
  check_rejected(*model, path, "unsupported checkpoint version 2 (this build reads version 1)");
}

TEST_CASE("load rejects a truncated file") {
  ScratchDir dir;
  const std::string path = saved_trained_model(dir);
  const std::string bytes = read_bytes(path);
  auto model = small_model(9);
  write_bytes(path, bytes.substr(0, bytes.size() - 10));
  check_rejected(*model, path, "truncated: the header says");
  write_bytes(path, bytes.substr(0, 20));
  check_rejected(*model, path, "truncated: 20 bytes cannot hold a checkpoint header");
  write_bytes(path, bytes.substr(0, 5));
  check_rejected(*model, path, "truncated: 5 bytes");
}

TEST_CASE("load rejects a file with a flipped byte") {
  ScratchDir dir;
  const std::string path = saved_trained_model(dir);
  std::string bytes = read_bytes(path);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  write_bytes(path, bytes);
  auto model = small_model(9);
  check_rejected(*model, path, "checksum mismatch");
}

TEST_CASE("load rejects a file missing one of the module's tensors") {
  ScratchDir dir;
  nn::Linear without_bias({.in = 3, .out = 2, .bias = false});
  nn::save(without_bias, dir.file("model.ckpt"));
  nn::Linear with_bias({.in = 3, .out = 2});
  check_rejected(with_bias, dir.file("model.ckpt"),
                 "the module's parameter 'bias' (shape [2]) is missing from the file");
}

TEST_CASE("load rejects a file with an entry the module does not have") {
  ScratchDir dir;
  nn::Linear with_bias({.in = 3, .out = 2});
  nn::save(with_bias, dir.file("model.ckpt"));
  nn::Linear without_bias({.in = 3, .out = 2, .bias = false});
  check_rejected(without_bias, dir.file("model.ckpt"),
                 "the file's parameter 'bias' (shape [2]) has no counterpart in the module");
}

TEST_CASE("load rejects an entry of the wrong shape") {
  ScratchDir dir;
  auto saved = small_model(1);
  nn::save(*saved, dir.file("model.ckpt"));
  auto other = std::make_shared<nn::Sequential>(nn::Conv2d({.in = 1, .out = 2, .kernel = 3}),
                                                nn::BatchNorm2d({.features = 2}), nn::ReLU(),
                                                nn::Flatten(), nn::Linear({.in = 8, .out = 4}));
  check_rejected(*other, dir.file("model.ckpt"),
                 "entry '4.weight' has shape [3, 8] in the file but [4, 8] in the module");
}

TEST_CASE("load rejects an entry stored as a buffer where the module has a parameter") {
  ScratchDir dir;
  nn::Module saved;
  saved.register_buffer("w", ones({2}));
  nn::save(saved, dir.file("model.ckpt"));
  nn::Module loaded;
  loaded.register_parameter("w", zeros({2}));
  check_rejected(loaded, dir.file("model.ckpt"),
                 "entry 'w' is a buffer in the file but a parameter in the module");
}

TEST_CASE("load names a file that cannot be read") {
  ScratchDir dir;
  nn::Linear linear({.in = 1, .out = 1});
  check_rejected(linear, dir.file("absent.ckpt"), "cannot open file");
}
