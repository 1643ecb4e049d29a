// Writes the seed corpus of the fuzz targets: small valid files of every format they parse.
//   make_corpus fuzz/corpus
#include <filesystem>
#include <fstream>
#include <string>

#include "core/factories.h"
#include "core/serialize.h"
#include "fuzz/fuzz_model.h"
#include "nn/checkpoint.h"
#include "nn/loss.h"
#include "optim/state_io.h"
#include "train/checkpoint.h"

using namespace minidl;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// An unsigned-byte IDX file with the given dims, values 0, 1, 2, ...
std::string idx_bytes(const std::vector<uint32_t>& dims) {
  std::string bytes{'\0', '\0', '\x08', static_cast<char>(dims.size())};
  size_t count = 1;
  for (uint32_t size : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(size >> shift));
    count *= size;
  }
  for (size_t i = 0; i < count; ++i) bytes.push_back(static_cast<char>(i % 10));
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? argv[1] : "fuzz/corpus";
  write(root / "fuzz_idx" / "images_2x4x4.idx", idx_bytes({2, 4, 4}));
  write(root / "fuzz_idx" / "labels_5.idx", idx_bytes({5}));

  auto model = fuzz::make_model();
  auto optimizer = fuzz::make_optimizer(*model);
  data::DataLoader loader = fuzz::make_loader();
  Generator gen(7);
  const Tensor loss = nn::mse_loss((*model)(randn({4, 3}, gen)), zeros({4, 2}));
  loss.backward();
  optimizer->step();  // so the optimizer state holds non-zero buffers
  write(root / "fuzz_checkpoint" / "model.ckpt", nn::encode(*model));
  write(root / "fuzz_checkpoint" / "adam.state", optim::encode_state(optimizer->state_dict()));
  write(root / "fuzz_checkpoint" / "training.ckpt",
        train::encode_training_checkpoint({*model, *optimizer, loader}, {.epoch = 1, .step = 1}));
  return 0;
}
