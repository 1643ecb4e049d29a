// The bad-input table: wrong input to a public API must end in a minidl::Error whose message
// says what was wrong — never a crash, a silent NaN or another exception type. Each row is
// {what is wrong, the call, a piece of the message it must give}.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/serialize.h"
#include "minidl.h"
#include "nn/models.h"

using namespace minidl;
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct BadInput {
  const char* description;
  std::function<void()> action;
  const char* expected;  // a piece of the error message
};

// Replaces the u32 at `offset` and recomputes the trailing CRC-32, as a future writer would.
std::string with_u32_at(std::string bytes, size_t offset, uint32_t value) {
  std::string body = bytes.substr(0, bytes.size() - 4);
  std::memcpy(body.data() + offset, &value, sizeof(value));
  return io::with_checksum(body);
}

std::string scratch(const std::string& name) {
  return (fs::temp_directory_path() / ("minidl-bad-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::shared_ptr<data::TensorDataset> tiny_dataset(int64_t n) {
  return std::make_shared<data::TensorDataset>(zeros({n, 3}), zeros({n}));
}

std::vector<BadInput> layer_rows() {
  return {
      {"Linear: last dim differs from in",
       [] {
         nn::Linear({.in = 4, .out = 2})(zeros({2, 5}));
       },
       "Linear(in=4, out=2): expected input of shape [*, 4] (last dim = in features), got shape "
       "[2, 5]"},
      {"Linear: a 0-d input", [] { nn::Linear({.in = 4, .out = 2})(zeros({})); },
       "Linear(in=4, out=2): expected input of shape [*, 4] (last dim = in features), got shape "
       "[]"},
      {"Conv2d: 3-D input",
       [] {
         nn::Conv2d({.in = 1, .out = 2, .kernel = 3})(zeros({1, 8, 8}));
       },
       "expected input of shape [N, 1, H, W], got shape [1, 8, 8]"},
      {"Conv2d: channels differ",
       [] {
         nn::Conv2d({.in = 3, .out = 2, .kernel = 3})(zeros({1, 1, 8, 8}));
       },
       "expected input of shape [N, 3, H, W], got shape [1, 1, 8, 8]"},
      {"Conv2d: input smaller than the kernel",
       [] {
         nn::Conv2d({.in = 1, .out = 2, .kernel = 5})(zeros({1, 1, 3, 3}));
       },
       "smaller than the (dilated) kernel"},
      {"MaxPool2d: 2-D input",
       [] {
         nn::MaxPool2d({.kernel = 2})(zeros({4, 4}));
       },
       "max_pool2d: input must be 4-D [N, C, H, W], got shape [4, 4]"},
      {"MaxPool2d: window larger than the input",
       [] {
         nn::MaxPool2d({.kernel = 5})(zeros({1, 1, 3, 3}));
       },
       "max_pool2d: input [1, 1, 3, 3] with padding 0 is smaller than the kernel 5"},
      {"AvgPool2d: 3-D input",
       [] {
         nn::AvgPool2d({.kernel = 2})(zeros({1, 4, 4}));
       },
       "avg_pool2d: input must be 4-D"},
      {"AvgPool2d: window larger than the input",
       [] {
         nn::AvgPool2d({.kernel = 5})(zeros({1, 1, 3, 3}));
       },
       "avg_pool2d: input [1, 1, 3, 3]"},
      {"BatchNorm1d: features differ",
       [] {
         nn::BatchNorm1d({.features = 3})(zeros({2, 4}));
       },
       "expected input of shape [N, 3] or [N, 3, L], got shape [2, 4]"},
      {"BatchNorm1d: 4-D input",
       [] {
         nn::BatchNorm1d({.features = 3})(zeros({2, 3, 4, 5}));
       },
       "got shape [2, 3, 4, 5]"},
      {"BatchNorm2d: channels differ",
       [] {
         nn::BatchNorm2d({.features = 3})(zeros({2, 4, 5, 5}));
       },
       "expected input of shape [N, 3, H, W], got shape [2, 4, 5, 5]"},
      {"BatchNorm2d: 2-D input",
       [] {
         nn::BatchNorm2d({.features = 3})(zeros({2, 3}));
       },
       "got shape [2, 3]"},
      {"Flatten: start_dim past the input's dims",
       [] {
         nn::Flatten({.start_dim = 3})(zeros({2, 3}));
       },
       "Flatten(start_dim=3, end_dim=-1): flatten: dim 3 out of range for a tensor of 2 dims"},
      {"Softmax: dim out of range",
       [] {
         nn::Softmax({.dim = 2})(zeros({2, 3}));
       },
       "Softmax(dim=2): softmax: dim 2 out of range"},
      {"LogSoftmax: dim out of range",
       [] {
         nn::LogSoftmax({.dim = -3})(zeros({2, 3}));
       },
       "LogSoftmax(dim=-3): log_softmax: dim -3 out of range"},
      {"Dropout: p above 1", [] { nn::Dropout({.p = 1.5F}); },
       "Dropout(p=1.5): p must be in [0, 1], got 1.5"},
      {"Dropout: an undefined input", [] { nn::Dropout({.p = 0.5F})(Tensor()); },
       "Dropout(p=0.5): the input is an undefined tensor"},
      {"Sequential: wrong shape reaching layer 2",
       [] {
         nn::Sequential model(nn::Flatten(), nn::ReLU(), nn::Linear({.in = 10, .out = 2}));
         model(zeros({2, 3, 3}));
       },
       "Sequential: layer (2) Linear(in=10, out=2): expected input of shape [*, 10]"},
      {"Sequential: index out of range", [] { (void)nn::Sequential(nn::ReLU())[3]; },
       "index 3 out of range for 1 modules"},
  };
}

std::vector<BadInput> loss_and_data_rows() {
  return {
      {"cross_entropy: label equal to the class count",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({3, 10}));
       },
       "target 10 at position 1 is out of range for 10 classes (valid: 0 to 9)"},
      {"cross_entropy: negative label",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({-1, 3}));
       },
       "target -1 at position 0 is out of range for 10 classes"},
      {"cross_entropy: fractional label",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({1.5F, 3}));
       },
       "target 1.5 at position 0 is not a whole number"},
      {"cross_entropy: batch sizes differ",
       [] {
         nn::cross_entropy(zeros({2, 10}), from_vector({1, 2, 3}));
       },
       "targets of shape [3] do not fit scores of shape [2, 10]"},
      {"DataLoader: batch size 0", [] { data::DataLoader(tiny_dataset(4), {.batch_size = 0}); },
       "DataLoader: batch_size must be positive, got 0"},
      {"DataLoader: negative batch size",
       [] { data::DataLoader(tiny_dataset(4), {.batch_size = -3}); },
       "DataLoader: batch_size must be positive, got -3"},
      {"DataLoader: empty dataset", [] { data::DataLoader(tiny_dataset(0), {.batch_size = 2}); },
       "DataLoader: the dataset is empty"},
      {"DataLoader: no dataset", [] { data::DataLoader(nullptr, {.batch_size = 2}); },
       "DataLoader: no dataset"},
      {"TensorDataset: inputs and targets of different lengths",
       [] {
         data::TensorDataset(zeros({4, 3}), zeros({5}));
       },
       "TensorDataset: 4 inputs (shape [4, 3]) but 5 targets (shape [5])"},
      {"Dataset: index out of range", [] { (void)tiny_dataset(4)->get(4); },
       "TensorDataset: index 4 out of range for a dataset of 4 examples"},
      {"MNIST: a folder without the files",
       [] { data::MNIST("/nonexistent-minidl-dir", data::Split::Test); },
       "file not found (run scripts/fetch_mnist.sh"},
      {"MNIST: IDX bytes with the wrong magic",
       [] { data::parse_idx(std::string("\x00\x00\x09\x01\x00\x00\x00\x00", 8), "x.idx", 1); },
       "x.idx: wrong magic number"},
      {"MNIST: IDX file shorter than its header says",
       [] { data::parse_idx(std::string("\x00\x00\x08\x01\x00\x00\x00\x05\x01", 9), "y.idx", 1); },
       "y.idx: truncated file"},
  };
}

std::vector<Tensor> some_params() { return {zeros({3}).requires_grad_()}; }

std::vector<BadInput> optim_rows() {
  return {
      {"SGD: NaN learning rate", [] { optim::SGD(some_params(), {.lr = kNaN}); },
       "SGD: lr must be a finite number >= 0, got nan"},
      {"Adam: NaN learning rate", [] { optim::Adam(some_params(), {.lr = kNaN}); },
       "Adam: lr must be a finite number >= 0, got nan"},
      {"RMSprop: NaN learning rate", [] { optim::RMSprop(some_params(), {.lr = kNaN}); },
       "RMSprop: lr must be a finite number >= 0, got nan"},
      {"Adagrad: negative learning rate", [] { optim::Adagrad(some_params(), {.lr = -1.0}); },
       "Adagrad: lr must be a finite number >= 0, got -1"},
      {"set_lr: NaN (e.g. from a broken schedule)",
       [] { optim::SGD(some_params(), {.lr = 0.1}).set_lr(kNaN); }, "SGD: lr must be a finite"},
      {"Adam: NaN beta1", [] { optim::Adam(some_params(), {.beta1 = kNaN}); },
       "Adam: beta1 must be in [0, 1), got nan"},
      {"StepLR: NaN learning rate", [] { optim::StepLR({.lr = kNaN, .step_size = 2}); },
       "StepLR: lr must be a finite number >= 0, got nan"},
      {"CosineAnnealingLR: NaN learning rate",
       [] { optim::CosineAnnealingLR({.lr = kNaN, .total_steps = 10}); },
       "CosineAnnealingLR: lr must be a finite number >= 0, got nan"},
      {"ExponentialLR: NaN gamma", [] { optim::ExponentialLR({.lr = 0.1, .gamma = kNaN}); },
       "ExponentialLR: gamma must be > 0, got nan"},
      {"OneCycleLR: NaN max_lr", [] { optim::OneCycleLR({.max_lr = kNaN, .total_steps = 10}); },
       "OneCycleLR: max_lr must be a finite number >= 0, got nan"},
      {"ReduceLROnPlateau: NaN initial lr", [] { optim::ReduceLROnPlateau(kNaN, {}); },
       "ReduceLROnPlateau: initial_lr must be a finite number >= 0, got nan"},
      {"ReduceLROnPlateau: NaN metric", [] { optim::ReduceLROnPlateau(0.1, {}).update(kNaN); },
       "ReduceLROnPlateau: metric must be finite, got nan"},
      {"schedule: negative step",
       [] { (void)optim::StepLR({.lr = 0.1, .step_size = 2}).lr_at(-1); },
       "StepLR: step must be >= 0, got -1"},
      {"optimizer: no parameters", [] { optim::SGD(std::vector<Tensor>{}, {.lr = 0.1}); },
       "SGD: got an empty parameter list"},
  };
}

std::vector<BadInput> checkpoint_rows() {
  return {
      {"nn::load: a LeNet checkpoint into the MLP",
       [] {
         const std::string path = scratch("lenet.ckpt");
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

void check_rows(const std::vector<BadInput>& rows) {
  for (const BadInput& row : rows) {
    const std::string description = row.description;
    CAPTURE(description);
    std::string message;
    bool other_exception = false;
    try {
      row.action();
    } catch (const Error& error) {
      message = error.what();
    } catch (...) {
      other_exception = true;
    }
    CAPTURE(message);
    CHECK_FALSE(other_exception);
    CHECK_FALSE(message.empty());  // it threw minidl::Error
    CHECK(message.find(row.expected) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("every layer refuses a wrong input shape with a message naming itself and the shape") {
  check_rows(layer_rows());
}

TEST_CASE("losses and data refuse bad labels, batch sizes and empty or mismatched datasets") {
  check_rows(loss_and_data_rows());
}

TEST_CASE("optimizers and schedules refuse NaN and negative learning rates and bad options") {
  check_rows(optim_rows());
}

TEST_CASE("checkpoints refuse another architecture, a future version and the wrong file type") {
  check_rows(checkpoint_rows());
}
