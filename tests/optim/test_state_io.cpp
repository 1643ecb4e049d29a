// Optimizer state files: exact resumption for every optimizer, the file layout, and refusal of
// every kind of bad file without touching the optimizer.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/factories.h"
#include "core/ops/arithmetic.h"
#include "core/ops/math.h"
#include "core/ops/reduction.h"
#include "core/serialize.h"
#include "optim/optim.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

/// A small model with two parameters of different shapes and a smooth loss.
struct Model {
  Tensor weight = make_param({0.5F, -1.0F, 2.0F});
  Tensor bias = make_param({0.1F, 0.2F, -0.3F, 0.4F}).detach().reshape({2, 2});

  Model() { bias.requires_grad_(); }
  /// A model whose parameters hold copies of `other`'s current values (a reloaded checkpoint).
  static Model copy_of(const Model& other) {
    Model model;
    model.weight.detach().copy_(other.weight.detach());
    model.bias.detach().copy_(other.bias.detach());
    return model;
  }
  std::vector<Tensor> params() const { return {weight, bias}; }
  std::vector<float> values() const {
    std::vector<float> all = weight.to_vector();
    const std::vector<float> rest = bias.to_vector();
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
  }
  Closure closure(Optimizer& optimizer) const {
    return [this, &optimizer] {
      optimizer.zero_grad();
      const Tensor target = from_vector({1.0F, 2.0F, 3.0F});
      Tensor loss = sum(pow(weight - target, 2.0F)) + sum(pow(bias, 4.0F)) +
                    sum(weight * weight) * sum(bias * bias) * 0.1F;
      loss.backward();
      return loss;
    };
  }
};

/// A file path in the temp directory, removed when the test ends.
struct TempPath {
  std::string path;
  explicit TempPath(const std::string& name)
      : path((std::filesystem::temp_directory_path() /
              ("minidl_optim_test_" + std::to_string(::getpid()) + "_" + name))
                 .string()) {}
  ~TempPath() { std::filesystem::remove(path); }
};

/// The file's body (checksum removed) after `edit`, with a fresh checksum, written back.
void rewrite(const std::string& path, const std::function<void(std::string&)>& edit) {
  std::string body = io::verify_checksum(io::read_file(path), path);
  edit(body);
  io::write_file_atomic(path, io::with_checksum(body));
}

/// An Adam optimizer over a two-parameter model, advanced two steps, saved to `path`.
struct SavedAdam {
  Model model;
  std::unique_ptr<Adam> optimizer = std::make_unique<Adam>(model.params(), AdamOptions{});
  explicit SavedAdam(const std::string& path) {
    for (int step = 0; step < 2; ++step) optimizer->step(model.closure(*optimizer));
    save_state(*optimizer, path);
  }
};

/// Loading `path` into `optimizer` throws an Error containing every piece of `expected`, and
/// leaves the optimizer's state exactly as it was.
void check_refused(Optimizer& optimizer, const std::string& path,
                   const std::vector<std::string>& expected) {
  const std::string before = encode_state(optimizer.state_dict());
  std::string message;
  try {
    load_state(optimizer, path);
  } catch (const Error& error) {
    message = error.what();
  }
  INFO("message: " << message);
  REQUIRE_FALSE(message.empty());
  for (const std::string& piece : expected) CHECK(message.find(piece) != std::string::npos);
  CHECK(encode_state(optimizer.state_dict()) == before);
}

}  // namespace

TEST_CASE("N steps straight equal k steps, save, load into a fresh optimizer, N - k steps") {
  const std::vector<std::pair<std::string, MakeOptimizer>> optimizers = {
      {"SGD Nesterov", maker<SGD>(SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true})},
      {"SGD lr-inside", maker<SGD>(SGDOptions{
                            .lr = 0.05, .momentum = 0.9, .momentum_form = MomentumForm::LrInside})},
      {"Adagrad", maker<Adagrad>(AdagradOptions{.lr = 0.1, .lr_decay = 0.01})},
      {"RMSprop", maker<RMSprop>(RMSpropOptions{.momentum = 0.9, .centered = true})},
      {"Adadelta", maker<Adadelta>(AdadeltaOptions{.weight_decay = 0.01})},
      {"Adam amsgrad", maker<Adam>(AdamOptions{.lr = 0.05, .amsgrad = true})},
      {"AdamW", maker<AdamW>(AdamWOptions{.lr = 0.05})},
      {"NAdam", maker<NAdam>(NAdamOptions{})},
      {"RAdam", maker<RAdam>(RAdamOptions{.lr = 0.01, .beta2 = 0.9})},  // rectifies from t = 6
      {"LBFGS", maker<LBFGS>(LBFGSOptions{.lr = 0.5, .max_iter = 2, .history_size = 3})},
      {"LBFGS strong-Wolfe",
       maker<LBFGS>(LBFGSOptions{.max_iter = 3, .line_search = LineSearch::StrongWolfe})},
  };
  constexpr int kTotalSteps = 8;
  constexpr int kStepsBeforeSave = 5;
  for (const auto& [name, make] : optimizers) {
    INFO(name);
    TempPath file("resume_" + std::to_string(std::hash<std::string>{}(name)));
    Model straight;
    std::unique_ptr<Optimizer> uninterrupted = make(straight.params());
    for (int step = 0; step < kTotalSteps; ++step) {
      uninterrupted->set_lr(uninterrupted->lr() * 0.9);  // a schedule, restored via the lr field
      uninterrupted->step(straight.closure(*uninterrupted));
    }

    Model first_run;
    std::unique_ptr<Optimizer> before_save = make(first_run.params());
    for (int step = 0; step < kStepsBeforeSave; ++step) {
      before_save->set_lr(before_save->lr() * 0.9);
      before_save->step(first_run.closure(*before_save));
    }
    save_state(*before_save, file.path);

    Model resumed = Model::copy_of(first_run);
    std::unique_ptr<Optimizer> after_load = make(resumed.params());
    load_state(*after_load, file.path);
    CHECK(after_load->step_count() == kStepsBeforeSave);
    CHECK(after_load->lr() == before_save->lr());
    for (int step = kStepsBeforeSave; step < kTotalSteps; ++step) {
      after_load->set_lr(after_load->lr() * 0.9);
      after_load->step(resumed.closure(*after_load));
    }
    CHECK(resumed.values() == straight.values());  // bit for bit
    CHECK(encode_state(after_load->state_dict()) == encode_state(uninterrupted->state_dict()));
  }
}

TEST_CASE("a state file starts with the magic and version and names the optimizer kind") {
  TempPath file("layout");
  SavedAdam saved(file.path);
  const std::string bytes = io::read_file(file.path);
  REQUIRE(bytes.size() > 20);
  CHECK(bytes.substr(0, 8) == "MDLOPTST");
  uint32_t version = 0;
  std::memcpy(&version, bytes.data() + 8, sizeof(version));
  CHECK(version == kStateFormatVersion);
  CHECK(bytes.substr(12, 8) == std::string("\x04\x00\x00\x00"
                                           "Adam",
                                           8));
  const StateDict dict = decode_state(bytes, file.path);
  CHECK(dict.kind == "Adam");
  CHECK(dict.step_count == 2);
  REQUIRE(dict.groups.size() == 1);
  CHECK(dict.groups[0].size == 2);
  CHECK(dict.groups[0].lr == 1e-3);
  CHECK(dict.groups[0].initial_lr == 1e-3);
  std::vector<std::string> option_names;
  for (const StateField& option : dict.groups[0].options) option_names.push_back(option.name);
  CHECK(option_names ==
        std::vector<std::string>{"beta1", "beta2", "eps", "weight_decay", "amsgrad"});
  REQUIRE(dict.params.size() == 2);
  CHECK(dict.params[1].shape == Shape{2, 2});
  REQUIRE(dict.params[1].fields.size() == 3);
  CHECK(dict.params[1].fields[0].name == "step");
  CHECK(dict.params[1].fields[0].counter == 2);
  CHECK(dict.params[1].fields[1].name == "exp_avg");
  CHECK(dict.params[1].fields[2].buffer.size() == 4);
}

TEST_CASE("load_state refuses a missing file") {
  const Model model;
  Adam optimizer(model.params());
  check_refused(optimizer, "/nonexistent/dir/state.optim", {"/nonexistent/dir/state.optim"});
}

TEST_CASE("load_state refuses a file that is not an optimizer state (bad magic)") {
  TempPath file("magic");
  SavedAdam saved(file.path);
  rewrite(file.path, [](std::string& body) { body[0] = 'X'; });
  check_refused(*saved.optimizer, file.path, {file.path, "bad magic"});
}

TEST_CASE("load_state refuses another format version") {
  TempPath file("version");
  SavedAdam saved(file.path);
  rewrite(file.path, [](std::string& body) { body[8] = 3; });
  check_refused(*saved.optimizer, file.path, {file.path, "format version 3"});
}

TEST_CASE("load_state refuses the state of another optimizer kind") {
  TempPath file("kind");
  SavedAdam saved(file.path);
  SGD sgd(saved.model.params());
  check_refused(sgd, file.path, {file.path, "Adam optimizer, not SGD"});
}

TEST_CASE("load_state refuses a different parameter count") {
  TempPath file("count");
  SavedAdam saved(file.path);
  Adam fewer({saved.model.weight});
  check_refused(fewer, file.path, {file.path, "state for 2 parameters, but this optimizer has 1"});
}

TEST_CASE("load_state refuses a parameter of another shape and names it") {
  TempPath file("shape");
  SavedAdam saved(file.path);
  const Tensor wider = make_param({1.0F, 2.0F, 3.0F, 4.0F, 5.0F, 6.0F}).detach().reshape({2, 3});
  wider.requires_grad_();
  Adam other({saved.model.weight, wider});
  check_refused(other, file.path, {file.path, "parameter 1", "[2, 2]", "[2, 3]"});
}

TEST_CASE("load_state refuses a file whose fields do not fit its options (a missing buffer)") {
  TempPath file("options");
  SavedAdam saved(file.path);
  StateDict dict = saved.optimizer->state_dict();
  REQUIRE(dict.groups[0].options.back().name == "amsgrad");
  dict.groups[0].options.back().counter = 1;  // amsgrad on, but no max_exp_avg_sq saved
  io::write_file_atomic(file.path, encode_state(dict));
  check_refused(*saved.optimizer, file.path, {file.path, "parameter 0", "max_exp_avg_sq"});
}

TEST_CASE("load_state refuses an option out of range and a flag that is neither 0 nor 1") {
  TempPath file("bad_option");
  SavedAdam saved(file.path);
  StateDict dict = saved.optimizer->state_dict();
  dict.groups[0].options[1].scalar = 1.5;  // beta2
  io::write_file_atomic(file.path, encode_state(dict));
  check_refused(*saved.optimizer, file.path,
                {file.path, "parameter group 0: beta2 must be in [0, 1), got 1.5"});
  dict = saved.optimizer->state_dict();
  dict.groups[0].options.back().counter = 2;  // amsgrad
  io::write_file_atomic(file.path, encode_state(dict));
  check_refused(*saved.optimizer, file.path,
                {file.path, "'amsgrad' is 2, which is not one of its 2 choices 0..1"});
}

TEST_CASE("load_state refuses a corrupted byte (checksum)") {
  TempPath file("corrupt");
  SavedAdam saved(file.path);
  std::string bytes = io::read_file(file.path);
  bytes[bytes.size() / 2] ^= 0x01;
  io::write_file_atomic(file.path, bytes);
  check_refused(*saved.optimizer, file.path, {file.path, "checksum"});
}

TEST_CASE("load_state refuses a truncated file") {
  TempPath file("truncated");
  SavedAdam saved(file.path);
  const std::string bytes = io::read_file(file.path);
  io::write_file_atomic(file.path, bytes.substr(0, bytes.size() - 9));
  check_refused(*saved.optimizer, file.path, {file.path});
  // Truncated but with a valid checksum over what is left: the reader runs out of bytes.
  io::write_file_atomic(file.path,
                        io::with_checksum(io::verify_checksum(bytes, file.path).substr(0, 60)));
  check_refused(*saved.optimizer, file.path, {file.path, "truncated"});
}

TEST_CASE("load_state refuses trailing bytes after the last entry") {
  TempPath file("trailing");
  SavedAdam saved(file.path);
  rewrite(file.path, [](std::string& body) { body += "extra"; });
  check_refused(*saved.optimizer, file.path, {file.path, "5 unexpected bytes"});
}

TEST_CASE("load_state refuses a buffer whose size does not match its parameter") {
  TempPath file("buffer");
  SavedAdam saved(file.path);
  StateDict dict = saved.optimizer->state_dict();
  dict.params[1].fields[1].buffer.pop_back();
  io::write_file_atomic(file.path, encode_state(dict));
  check_refused(*saved.optimizer, file.path,
                {file.path, "parameter 1", "'exp_avg' holds 3 values, expected 4"});
}

TEST_CASE("save_state replaces an existing file atomically and leaves no temp file") {
  TempPath file("atomic");
  SavedAdam saved(file.path);
  saved.optimizer->step(saved.model.closure(*saved.optimizer));
  save_state(*saved.optimizer, file.path);
  CHECK(decode_state(io::read_file(file.path), file.path).step_count == 3);
  const auto directory = std::filesystem::path(file.path).parent_path();
  const std::string prefix = std::filesystem::path(file.path).filename().string() + ".tmp";
  int64_t leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) ++leftovers;
  }
  CHECK(leftovers == 0);
}
