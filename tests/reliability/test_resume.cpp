// Resumable training: 2 epochs straight give bit-identical parameters, buffers and optimizer
// state to 1 epoch, a training checkpoint, a fresh process-like restart, and 1 more epoch. The
// model has Dropout and a stochastic layer written here, outside the library, so the checkpoint
// must carry their generators' states (found through Module::named_generators) as well as the
// optimizer's state, the schedule step and the loader's epoch.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "minidl.h"
#include "train/loop.h"

using namespace minidl;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kEpochs = 2;

// A user's stochastic layer: adds Gaussian noise of a fixed scale in training. It registers its
// generator, which is all a training checkpoint needs to resume it.
class GaussianNoise : public nn::Module {
 public:
  GaussianNoise()
      : generator_(
            register_generator("noise", std::make_shared<Generator>(default_generator().next()))) {}
  Tensor forward(const Tensor& input) override {
    if (!is_training()) return input;
    return input + normal(input.shape(), 0.0F, 0.1F, *generator_);
  }
  Generator& generator() { return *generator_; }

 private:
  std::shared_ptr<Generator> generator_;
};

// Everything one training run owns, built the same way every time.
struct Run {
  std::shared_ptr<nn::Sequential> model;
  std::unique_ptr<optim::Optimizer> optimizer;
  std::unique_ptr<data::DataLoader> loader;
  std::unique_ptr<optim::CosineAnnealingLR> schedule;
  train::Progress progress;

  Run() {
    manual_seed(1);  // the same initial weights and Dropout seed in every run
    Generator gen(11);
    const Tensor inputs = randn({40, 4}, gen);
    std::vector<float> labels;
    for (int i = 0; i < 40; ++i) labels.push_back(static_cast<float>(i % 3));
    auto dataset = std::make_shared<data::TensorDataset>(inputs, from_vector(labels));
    model = std::make_shared<nn::Sequential>(
        nn::Linear({.in = 4, .out = 16}), nn::BatchNorm1d({.features = 16}), nn::ReLU(),
        nn::Dropout({.p = 0.3F}), GaussianNoise(), nn::Linear({.in = 16, .out = 3}));
    optimizer = std::make_unique<optim::Adam>(model->parameters(), optim::AdamOptions{.lr = 0.01});
    loader = std::make_unique<data::DataLoader>(
        dataset, data::DataLoaderOptions{.batch_size = 8, .shuffle = true, .seed = 4});
    schedule = std::make_unique<optim::CosineAnnealingLR>(
        optim::CosineAnnealingLROptions{.lr = 0.01, .total_steps = kEpochs * loader->size()});
  }
  train::TrainingState state() { return {*model, *optimizer, *loader}; }
  void epoch() {
    train::train_epoch(*model, *optimizer, *loader, progress.step, {.schedule = schedule.get()});
    ++progress.epoch;
  }
};

// The raw bits of every parameter and buffer, and the optimizer's state file bytes.
std::string fingerprint(Run& run) {
  std::string bits;
  for (auto& [name, t] : run.model->named_parameters()) {
    const std::vector<float> v = t.to_vector();
    bits += name;
    bits.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
  }
  for (auto& [name, t] : run.model->named_buffers()) {
    const std::vector<float> v = t.to_vector();
    bits += name;
    bits.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
  }
  return bits + optim::encode_state(run.optimizer->state_dict());
}

std::string scratch_file(const std::string& name) {
  return (fs::temp_directory_path() / ("minidl-resume-" + std::to_string(::getpid()) + name))
      .string();
}

}  // namespace

TEST_CASE("2 epochs straight are bit-identical to 1 epoch, checkpoint, resume, 1 epoch") {
  Run straight;
  for (int64_t e = 0; e < kEpochs; ++e) straight.epoch();

  const std::string path = scratch_file("-a.ckpt");
  {
    Run first_half;
    first_half.epoch();
    train::save_training_checkpoint(first_half.state(), path, first_half.progress);
  }  // the first run is gone, as after a crash
  Run resumed;
  resumed.progress = train::load_training_checkpoint(resumed.state(), path);
  CHECK(resumed.progress.epoch == 1);
  CHECK(resumed.progress.step == resumed.loader->size());
  CHECK(resumed.loader->epoch() == 1);
  resumed.epoch();
  fs::remove(path);

  CHECK(resumed.progress.step == straight.progress.step);
  CHECK(fingerprint(resumed) == fingerprint(straight));
}

TEST_CASE("resuming without the Dropout generator's state would not be bit-identical") {
  // The control for the test above: the generator matters, so restoring it is not a no-op.
  Run straight;
  for (int64_t e = 0; e < kEpochs; ++e) straight.epoch();
  Run first_half;
  first_half.epoch();
  const std::string bytes =
      train::encode_training_checkpoint(first_half.state(), first_half.progress);
  Run resumed;
  resumed.progress = train::load_training_checkpoint_bytes(resumed.state(), bytes, "memory");
  resumed.model->at<nn::Dropout>(3)->generator() = Generator(2);  // forget the restored state
  resumed.epoch();
  CHECK(fingerprint(resumed) != fingerprint(straight));
}

TEST_CASE("resuming without the user-defined noise layer's generator would not be bit-identical") {
  Run straight;
  for (int64_t e = 0; e < kEpochs; ++e) straight.epoch();
  Run first_half;
  first_half.epoch();
  const std::string bytes =
      train::encode_training_checkpoint(first_half.state(), first_half.progress);
  Run resumed;
  resumed.progress = train::load_training_checkpoint_bytes(resumed.state(), bytes, "memory");
  CHECK(resumed.model->at<GaussianNoise>(4)->generator().state() ==
        first_half.model->at<GaussianNoise>(4)->generator().state());
  resumed.model->at<GaussianNoise>(4)->generator() = Generator(2);  // forget the restored state
  resumed.epoch();
  CHECK(fingerprint(resumed) != fingerprint(straight));
}

TEST_CASE("a training checkpoint is checked completely before anything is restored") {
  Run source;
  source.epoch();
  std::string bytes = train::encode_training_checkpoint(source.state(), source.progress);
  Run target;
  const std::string before = fingerprint(target);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);
  CHECK_THROWS_WITH_AS(train::load_training_checkpoint_bytes(target.state(), bytes, "flipped"),
                       doctest::Contains("checksum mismatch"), Error);
  CHECK(fingerprint(target) == before);
  CHECK(target.loader->epoch() == 0);
}
