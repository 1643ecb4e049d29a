// examples/pipeline_lenet: model-parallel LeNet-5 on two MPI ranks. Rank 0 holds the
// convolutional stage and reads MNIST; rank 1 holds the fully connected stage and prints the
// loss. Activations travel forward and their gradients backward with dist::send / dist::recv.
//   ./scripts/fetch_mnist.sh
//   mpirun -np 2 build/examples/pipeline_lenet --epochs 1 --limit 10000
// An exception on either rank ends both, naming the rank (dist::run).
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "core/factories.h"
#include "core/parallel.h"
#include "data/dataloader.h"
#include "data/mnist.h"
#include "dist/pipeline.h"
#include "dist/point_to_point.h"
#include "dist/session.h"
#include "nn/models.h"
#include "optim/sgd.h"

using namespace minidl;

namespace {

struct Settings {
  int64_t epochs = 1;
  int64_t batch_size = 64;
  double lr = 0.01;
  double momentum = 0.9;
  uint64_t seed = 1;
  int64_t threads = 1;
  int64_t limit = -1;
  std::string data_dir = "data/mnist";
};

constexpr int kStepsTag = 0;           // rank 0 tells rank 1 how many steps an epoch has
constexpr size_t kFeatureModules = 6;  // LeNet-5 before Flatten: conv, ReLU, pool, conv, ReLU, pool

// Rank 0: reads the data, runs the convolutional stage.
void run_features(const Settings& s, nn::Module& features) {
  auto train_set = std::make_shared<data::MNIST>(s.data_dir, data::Split::Train,
                                                 data::MNISTOptions{.limit = s.limit});
  data::DataLoader loader(train_set, {.batch_size = s.batch_size, .shuffle = true, .seed = s.seed});
  optim::SGD optimizer(features.parameters(), {.lr = s.lr, .momentum = s.momentum});
  for (int64_t epoch = 1; epoch <= s.epochs; ++epoch) {
    dist::send(full({1}, static_cast<float>(loader.size())), 1, kStepsTag);
    for (const data::Example& batch : loader) {
      optimizer.zero_grad();
      dist::first_stage_step(features, batch, 1);
      optimizer.step();
    }
  }
}

// Rank 1: runs the fully connected stage and reports the loss.
void run_classifier(const Settings& s, nn::Module& classifier) {
  optim::SGD optimizer(classifier.parameters(), {.lr = s.lr, .momentum = s.momentum});
  for (int64_t epoch = 1; epoch <= s.epochs; ++epoch) {
    const auto steps = static_cast<int64_t>(dist::recv(0, kStepsTag).item());
    double loss_sum = 0.0;
    for (int64_t step = 1; step <= steps; ++step) {
      optimizer.zero_grad();
      const double loss = dist::last_stage_step(classifier, 0);
      optimizer.step();
      loss_sum += loss;
      if (step % 100 == 0)
        fmt::print("epoch {} step {}/{}  loss {:.4f}\n", epoch, step, steps, loss);
    }
    fmt::print("epoch {}/{}  mean train loss {:.4f}\n", epoch, s.epochs,
               loss_sum / static_cast<double>(steps));
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return dist::run(argc, argv, [&] {
    CLI::App app{"Model-parallel LeNet-5 on MNIST over two MPI ranks"};
    Settings s;
    app.add_option("--epochs", s.epochs, "training epochs")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--batch-size", s.batch_size, "examples per batch")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--lr", s.lr, "SGD learning rate")->capture_default_str();
    app.add_option("--momentum", s.momentum, "SGD momentum")->capture_default_str();
    app.add_option("--seed", s.seed, "seed of the init and the shuffle")->capture_default_str();
    app.add_option("--threads", s.threads, "threads per rank")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--limit", s.limit, "train on the first N training images only")
        ->check(CLI::PositiveNumber);
    app.add_option("--data", s.data_dir, "folder with the MNIST IDX files (scripts/fetch_mnist.sh)")
        ->capture_default_str();
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
      const int code = app.exit(error);
      return code == 0 ? 0 : 2;
    }
    MINIDL_CHECK(dist::world_size() == 2,
                 "pipeline_lenet: needs exactly 2 ranks (mpirun -np 2), got {}",
                 dist::world_size());
    set_num_threads(s.threads);
    Generator init(s.seed);
    const dist::PipelineStages stages =
        dist::split_stages(*nn::models::lenet5(init), kFeatureModules);
    if (dist::rank() == 0) {
      run_features(s, *stages.first);
    } else {
      fmt::print("{}\n{}\n", stages.first->to_string(), stages.second->to_string());
      run_classifier(s, *stages.second);
    }
    return 0;
  });
}
