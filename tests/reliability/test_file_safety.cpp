// Files cannot be confused or lost: every writer has its own temp file, so threads saving one
// path leave one complete file; a successful save removes the temp files that killed writers
// left behind, and leaves those of live writers alone.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "minidl.h"

using namespace minidl;
namespace fs = std::filesystem;

namespace {

// A fresh scratch folder, removed when done.
struct ScratchFolder {
  fs::path path = fs::temp_directory_path() / ("minidl-files-" + std::to_string(::getpid()));
  ScratchFolder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchFolder() { fs::remove_all(path); }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
};

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// A pid that no process can have: above Linux's largest pid_max (2^22).
constexpr pid_t kNoSuchPid = (1 << 22) + 1;

std::shared_ptr<nn::Linear> model(float value) {
  auto linear = std::make_shared<nn::Linear>(nn::LinearOptions{.in = 64, .out = 64});
  NoGradGuard no_grad;
  for (const Tensor& p : linear->parameters()) p.fill_(value);
  return linear;
}

}  // namespace

TEST_CASE("two threads saving the same path over and over leave one complete, loadable file") {
  ScratchFolder folder;
  const std::string path = (folder.path / "model.ckpt").string();
  auto ones_model = model(1.0F);
  auto twos_model = model(2.0F);
  auto save_many = [&path](const nn::Module& module) {
    for (int i = 0; i < 200; ++i) nn::save(module, path);
  };
  std::thread first(save_many, std::cref(*ones_model));
  std::thread second(save_many, std::cref(*twos_model));
  first.join();
  second.join();

  auto loaded = model(0.0F);
  REQUIRE_NOTHROW(nn::load(*loaded, path));
  const float value = loaded->parameters().front().to_vector().front();
  CHECK((value == 1.0F || value == 2.0F));
  for (const Tensor& p : loaded->parameters()) {
    CHECK(p.to_vector() == std::vector<float>(static_cast<size_t>(p.numel()), value));
  }
  CHECK(names_in(folder.path) == std::vector<std::string>{"model.ckpt"});  // no temp file left
}

TEST_CASE("a successful save removes the temp files of killed writers, not of live ones") {
  ScratchFolder folder;
  const std::string path = (folder.path / "model.ckpt").string();
  const std::string dead = std::to_string(kNoSuchPid);    // a killed writer
  const std::string alive = std::to_string(::getppid());  // the test runner's parent runs
  for (const std::string& name :
       {"model.ckpt.tmp." + dead + ".0", "model.ckpt.tmp." + dead,  // this and older builds
        "model.ckpt.tmp." + alive + ".3", "other.ckpt.tmp." + dead + ".0",
        "model.ckpt.tmp." + dead + ".x"}) {
    std::ofstream(folder.path / name) << "half a checkpoint";
  }
  nn::save(*model(1.0F), path);
  std::vector<std::string> names = names_in(folder.path);
  std::sort(names.begin(), names.end());
  const std::string listing = fmt::format("{}", names);
  CAPTURE(listing);
  std::vector<std::string> expected{"model.ckpt", "model.ckpt.tmp." + alive + ".3",
                                    "model.ckpt.tmp." + dead + ".x",
                                    "other.ckpt.tmp." + dead + ".0"};
  std::sort(expected.begin(), expected.end());  // pids of any length sort either way
  CHECK(names == expected);
}
