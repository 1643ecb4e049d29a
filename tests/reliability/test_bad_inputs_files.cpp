// The bad-input table of the files minidl reads and writes (see bad_input_table.h): checkpoints
// of another architecture, version or kind; paths that are directories, FIFOs, loops of links,
// too long or not paths at all; and files that pass their checksum but hold impossible values.
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>

#include "bad_input_table.h"
#include "core/serialize.h"
#include "minidl.h"
#include "nn/models.h"

using namespace minidl;
using minidl::testing::BadInput;
using minidl::testing::tiny_dataset;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Replaces the u32 at `offset` and recomputes the trailing CRC-32, as a future writer would.
std::string with_u32_at(std::string bytes, size_t offset, uint32_t value) {
  std::string body = bytes.substr(0, bytes.size() - 4);
  std::memcpy(body.data() + offset, &value, sizeof(value));
  return io::with_checksum(body);
}

std::vector<Tensor> some_params() { return {zeros({3}).requires_grad_()}; }

std::vector<BadInput> checkpoint_rows() {
  return {
      {"nn::load: a LeNet checkpoint into the MLP",
       [] {
         const std::string path = minidl::testing::scratch_path("lenet.ckpt");
         nn::save(*nn::models::lenet5(), path);
         auto mlp = nn::models::mlp();
         try {
           nn::load(*mlp, path);
         } catch (...) {
           fs::remove(path);
           throw;
         }
       },
       "the module's parameter '1.weight' (shape [128, 784]) is missing from the file"},
      {"nn::load: a checkpoint from a future format version",
       [] {
         auto model = nn::models::mlp();
         nn::load_bytes(*model, with_u32_at(nn::encode(*model), 8, 2), "future.ckpt");
       },
       "future.ckpt: unsupported checkpoint version 2 (this build reads version 1)"},
      {"nn::load: a missing file",
       [] { nn::load(*nn::models::mlp(), "/nonexistent-minidl-dir/model.ckpt"); },
       "nn::load: /nonexistent-minidl-dir/model.ckpt: cannot open file"},
      {"nn::load: an optimizer state file",
       [] {
         auto model = nn::models::mlp();
         optim::SGD sgd(model->parameters(), {.lr = 0.1});
         nn::load_bytes(*model, optim::encode_state(sgd.state_dict()), "sgd.state");
       },
       "sgd.state: not a minidl checkpoint"},
      {"optim::load_state: a state file from a future format version",
       [] {
         optim::Adam adam(some_params(), {});
         adam.load_state_dict(optim::decode_state(
             with_u32_at(optim::encode_state(adam.state_dict()), 8, 3), "future.state"));
       },
       "optimizer state 'future.state': format version 3, but this build reads versions 1 to 2"},
      {"optim::load_state: the state of another optimizer kind",
       [] {
         optim::Adam adam(some_params(), {});
         optim::SGD sgd(some_params(), {.lr = 0.1});
         sgd.load_state_dict(adam.state_dict(), "adam.state");
       },
       "SGD: adam.state holds the state of a Adam optimizer, not SGD"},
      {"optim::load_state: the state of the LeNet optimizer into the MLP's",
       [] {
         optim::SGD lenet_sgd(nn::models::lenet5()->parameters(), {.lr = 0.1});
         optim::SGD mlp_sgd(nn::models::mlp()->parameters(), {.lr = 0.1});
         mlp_sgd.load_state_dict(lenet_sgd.state_dict(), "lenet.state");
       },
       "holds state for 10 parameters, but this optimizer has 4"},
      {"train::load: a LeNet training checkpoint into the MLP run",
       [] {
         auto lenet = nn::models::lenet5();
         optim::SGD lenet_sgd(lenet->parameters(), {.lr = 0.1});
         data::DataLoader loader(tiny_dataset(4), {.batch_size = 2});
         const std::string bytes =
             train::encode_training_checkpoint({*lenet, lenet_sgd, loader}, {});
         auto mlp = nn::models::mlp();
         optim::SGD mlp_sgd(mlp->parameters(), {.lr = 0.1});
         train::load_training_checkpoint_bytes({*mlp, mlp_sgd, loader}, bytes, "lenet.train");
       },
       "training checkpoint 'lenet.train', model: the module's parameter '1.weight'"},
      {"train::load: a training checkpoint from a future format version",
       [] {
         auto mlp = nn::models::mlp();
         optim::SGD sgd(mlp->parameters(), {.lr = 0.1});
         data::DataLoader loader(tiny_dataset(4), {.batch_size = 2});
         const std::string bytes = train::encode_training_checkpoint({*mlp, sgd, loader}, {});
         train::load_training_checkpoint_bytes({*mlp, sgd, loader}, with_u32_at(bytes, 8, 7),
                                               "future.train");
       },
       "training checkpoint 'future.train': format version 7, but this build reads versions 1 to "
       "2"},
      {"train::load: a model checkpoint given to --resume",
       [] {
         auto mlp = nn::models::mlp();
         optim::SGD sgd(mlp->parameters(), {.lr = 0.1});
         data::DataLoader loader(tiny_dataset(4), {.batch_size = 2});
         train::load_training_checkpoint_bytes({*mlp, sgd, loader}, nn::encode(*mlp), "m.ckpt");
       },
       "not a minidl training checkpoint"},
  };
}

// A scratch folder holding every kind of wrong path: a directory, a FIFO, a loop of two
// symbolic links and a name longer than any file system allows. Removed when done.
struct WrongPaths {
  fs::path root = minidl::testing::scratch_path("paths");
  std::string directory = (root / "a-directory").string();
  std::string fifo = (root / "a-fifo").string();
  std::string loop = (root / "loop-a").string();
  std::string too_long = (root / std::string(300, 'x')).string();
  std::string with_nul = (root / "model").string() + std::string(1, '\0') + ".ckpt";

  WrongPaths() {
    fs::remove_all(root);
    fs::create_directories(directory);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    fs::create_symlink(root / "loop-b", loop);
    fs::create_symlink(loop, root / "loop-b");
  }
  ~WrongPaths() { fs::remove_all(root); }
  WrongPaths(const WrongPaths&) = delete;
  WrongPaths& operator=(const WrongPaths&) = delete;
};

std::vector<BadInput> path_rows(const WrongPaths& p) {
  return {
      {"nn::load: a directory", [&] { nn::load(*nn::models::mlp(), p.directory); },
       "a-directory: cannot read: it is a directory, not a regular file"},
      {"nn::load: a FIFO (refused, not waited on)", [&] { nn::load(*nn::models::mlp(), p.fifo); },
       "a-fifo: cannot read: it is a FIFO, not a regular file"},
      {"nn::load: a loop of symbolic links", [&] { nn::load(*nn::models::mlp(), p.loop); },
       "loop-a: cannot open file: Too many levels of symbolic links"},
      {"nn::load: a name too long", [&] { nn::load(*nn::models::mlp(), p.too_long); },
       "cannot open file: File name too long"},
      {"nn::load: a path with a NUL byte", [&] { nn::load(*nn::models::mlp(), p.with_nul); },
       "the file path contains a NUL byte"},
      {"nn::load: an empty path", [] { nn::load(*nn::models::mlp(), ""); }, "empty file path"},
      {"nn::save: onto a directory", [&] { nn::save(*nn::models::mlp(), p.directory); },
       "a-directory: cannot write: it is a directory, not a regular file"},
      {"nn::save: onto a FIFO", [&] { nn::save(*nn::models::mlp(), p.fifo); },
       "a-fifo: cannot write: it is a FIFO, not a regular file"},
      {"nn::save: through a loop of symbolic links", [&] { nn::save(*nn::models::mlp(), p.loop); },
       "loop-a: cannot write: Too many levels of symbolic links"},
      {"nn::save: a name too long", [&] { nn::save(*nn::models::mlp(), p.too_long); },
       "cannot write: File name too long"},
      {"nn::save: a path with a NUL byte", [&] { nn::save(*nn::models::mlp(), p.with_nul); },
       "the file path contains a NUL byte"},
      {"nn::save: into a folder that does not exist",
       [&] { nn::save(*nn::models::mlp(), p.directory + "/missing/model.ckpt"); },
       "cannot create temporary file"},
      {"optim::load_state: a directory",
       [&] {
         optim::SGD sgd(some_params(), {.lr = 0.1});
         optim::load_state(sgd, p.directory);
       },
       "cannot read: it is a directory"},
      {"optim::save_state: onto a FIFO",
       [&] { optim::save_state(optim::SGD(some_params(), {.lr = 0.1}), p.fifo); },
       "cannot write: it is a FIFO"},
      {"train::load: a FIFO",
       [&] {
         auto mlp = nn::models::mlp();
         optim::SGD sgd(mlp->parameters(), {.lr = 0.1});
         data::DataLoader loader(tiny_dataset(4), {.batch_size = 2});
         train::load_training_checkpoint({*mlp, sgd, loader}, p.fifo);
       },
       "cannot read: it is a FIFO"},
      {"MNIST: an IDX path through a loop of links", [&] { data::read_idx(p.loop, 3); },
       "Too many levels of symbolic links"},
      {"MNIST: a data folder name too long", [&] { data::MNIST(p.too_long, data::Split::Test); },
       "File name too long"},
      {"MNIST: an IDX path that is a directory", [&] { data::read_idx(p.directory, 3); },
       "cannot read: it is a directory"},
  };
}

// The bytes of an Adam state (one step taken on one parameter) after `change`.
std::string forged_adam_state(const std::function<void(optim::StateDict&)>& change,
                              bool amsgrad = false) {
  Tensor param = ones({3}).requires_grad_();
  optim::Adam adam({param}, {.amsgrad = amsgrad});
  param.set_grad(ones({3}));
  adam.step();
  optim::StateDict dict = adam.state_dict();
  change(dict);
  return optim::encode_state(dict);
}

// The field `name` of parameter 0.
optim::StateField& field(optim::StateDict& dict, std::string_view name) {
  for (optim::StateField& candidate : dict.params.at(0).fields) {
    if (candidate.name == name) return candidate;
  }
  throw std::runtime_error("no field " + std::string(name));
}

// Decodes forged state bytes (the semantic checks run there, before any optimizer sees them).
void decode(const std::string& bytes) { (void)optim::decode_state(bytes, "forged.state"); }

// Loads a training checkpoint of the MLP saved at `progress`.
void load_training_at(train::Progress progress) {
  auto mlp = nn::models::mlp();
  optim::SGD sgd(mlp->parameters(), {.lr = 0.1});
  data::DataLoader loader(tiny_dataset(4), {.batch_size = 2});
  const std::string bytes = train::encode_training_checkpoint({*mlp, sgd, loader}, progress);
  train::load_training_checkpoint_bytes({*mlp, sgd, loader}, bytes, "forged.train");
}

std::vector<BadInput> semantic_rows() {
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  return {
      {"optimizer state: a negative second moment",
       [] {
         decode(
             forged_adam_state([](optim::StateDict& d) { field(d, "exp_avg_sq").buffer[1] = -1; }));
       },
       "optimizer state 'forged.state': parameter 0 field 'exp_avg_sq': element 1 is -1, but it "
       "holds squares and cannot be negative"},
      {"optimizer state: a negative AMSGrad maximum",
       [] {
         decode(forged_adam_state(
             [](optim::StateDict& d) { field(d, "max_exp_avg_sq").buffer[0] = -2; }, true));
       },
       "field 'max_exp_avg_sq': element 0 is -2"},
      {"optimizer state: NaN in a first moment",
       [] {
         decode(forged_adam_state(
             [kNaN](optim::StateDict& d) { field(d, "exp_avg").buffer[2] = kNaN; }));
       },
       "parameter 0 field 'exp_avg': element 2 is nan, expected a finite number"},
      {"optimizer state: a step counter that would overflow",
       [] {
         decode(forged_adam_state([](optim::StateDict& d) { field(d, "step").counter = kMax; }));
       },
       "parameter 0 field 'step': the counter is 9223372036854775807, but a count must be between "
       "0 and 2^53"},
      {"optimizer state: a negative step counter",
       [] {
         decode(forged_adam_state([](optim::StateDict& d) { field(d, "step").counter = -5; }));
       },
       "the counter is -5"},
      {"optimizer state: an overflowing step count",
       [] {
         decode(forged_adam_state([](optim::StateDict& d) { d.step_count = int64_t{1} << 62; }));
       },
       "optimizer state 'forged.state': the step count is 4611686018427387904"},
      {"optimizer state: a NaN learning rate",
       [] {
         decode(forged_adam_state([](optim::StateDict& d) { d.groups[0].lr = std::nan(""); }));
       },
       "optimizer state 'forged.state': parameter group 0 has learning rate nan (initial 0.001), "
       "expected finite numbers >= 0"},
      {"optimizer state: a negative Adagrad sum",
       [] {
         Tensor param = ones({2}).requires_grad_();
         optim::Adagrad adagrad({param}, {});
         optim::StateDict dict = adagrad.state_dict();
         field(dict, "sum").buffer[0] = -0.5F;
         decode(optim::encode_state(dict));
       },
       "field 'sum': element 0 is -0.5, but it holds squares"},
      {"training checkpoint: an epoch count that would overflow",
       [] { load_training_at({.epoch = kMax, .step = 0}); },
       "training checkpoint 'forged.train': the epoch count is 9223372036854775807, but a count "
       "must be between 0 and 2^53"},
      {"training checkpoint: a negative step count",
       [] { load_training_at({.epoch = 1, .step = -1}); },
       "training checkpoint 'forged.train': the step count is -1"},
  };
}

}  // namespace

TEST_CASE("checkpoints refuse another architecture, a future version and the wrong file type") {
  minidl::testing::check_rows(checkpoint_rows());
}

TEST_CASE("reads and writes refuse directories, FIFOs, loops of links and bad names, never hang") {
  WrongPaths paths;
  minidl::testing::check_rows(path_rows(paths));
}

TEST_CASE("files that pass their checksum but hold impossible values are refused") {
  minidl::testing::check_rows(semantic_rows());
}
