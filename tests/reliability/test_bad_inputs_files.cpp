// The bad-input table of the files minidl reads and writes (see bad_input_table.h): checkpoints
// of another architecture, version or kind; paths that are directories, FIFOs, loops of links,
// too long or not paths at all; and files that pass their checksum but hold impossible values.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "bad_input_table.h"
#include "core/serialize.h"
#include "minidl.h"
#include "nn/models.h"

using namespace minidl;
using minidl::testing::BadInput;

namespace {

// Replaces the u32 at `offset` and recomputes the trailing CRC-32, as a future writer would.
std::string with_u32_at(std::string bytes, size_t offset, uint32_t value) {
  std::string body = bytes.substr(0, bytes.size() - 4);
  std::memcpy(body.data() + offset, &value, sizeof(value));
  return io::with_checksum(body);
}

std::shared_ptr<data::TensorDataset> tiny_dataset(int64_t n) {
  return std::make_shared<data::TensorDataset>(zeros({n, 3}), zeros({n}));
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
           std::filesystem::remove(path);
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
             with_u32_at(optim::encode_state(adam.state_dict()), 8, 2), "future.state"));
       },
       "optimizer state 'future.state': format version 2, but this build reads version 1"},
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

}  // namespace

TEST_CASE("checkpoints refuse another architecture, a future version and the wrong file type") {
  minidl::testing::check_rows(checkpoint_rows());
}
