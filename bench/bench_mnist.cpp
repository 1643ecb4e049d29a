// bench_mnist: minidl's side of the side-by-side MNIST benchmark. Trains LeNet-5 or the MLP for
// one epoch (batch 64, SGD lr 0.01 momentum 0.9 by default) exactly like bench/torch_mnist.py and
// prints one JSON line: seconds per epoch, images/s, test accuracy and peak RSS.
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>

#include "core/parallel.h"
#include "core/storage.h"
#include "data/mnist.h"
#include "nn/models.h"
#include "optim/sgd.h"
#include "train/loop.h"

using namespace minidl;

// Test-set batch size, the same in bench/torch_mnist.py.
constexpr int64_t kEvalBatch = 250;

int main(int argc, char** argv) {
  CLI::App app{"minidl side of the MNIST benchmark against PyTorch"};
  std::string model_name = "lenet";
  std::string data_dir = "data/mnist";
  int64_t threads = 1;
  int64_t epochs = 1;
  int64_t batch_size = 64;
  double lr = 0.01;
  double momentum = 0.9;
  uint64_t seed = 1;
  app.add_option("--model", model_name)->check(CLI::IsMember({"lenet", "mlp"}));
  app.add_option("--data", data_dir);
  app.add_option("--threads", threads)->check(CLI::PositiveNumber);
  app.add_option("--epochs", epochs)->check(CLI::PositiveNumber);
  app.add_option("--batch-size", batch_size)->check(CLI::PositiveNumber);
  app.add_option("--lr", lr);
  app.add_option("--momentum", momentum);
  app.add_option("--seed", seed);
  CLI11_PARSE(app, argc, argv);

  set_num_threads(threads);
  auto train_set = std::make_shared<data::MNIST>(data_dir, data::Split::Train);
  auto test_set = std::make_shared<data::MNIST>(data_dir, data::Split::Test);
  data::DataLoader train_loader(train_set,
                                {.batch_size = batch_size, .shuffle = true, .seed = seed});
  data::DataLoader test_loader(test_set, {.batch_size = kEvalBatch});
  Generator init(seed);
  auto model = nn::models::by_name(model_name, init);
  optim::SGD optimizer(model->parameters(), {.lr = lr, .momentum = momentum});

  int64_t step = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    train::train_epoch(*model, optimizer, train_loader, step);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
      static_cast<double>(epochs);
  const train::Tally test = train::evaluate(*model, test_loader);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print(
      "{{\"framework\": \"minidl\", \"model\": \"{}\", \"threads\": {}, \"seconds_per_epoch\": "
      "{:.4f}, \"images_per_second\": {:.1f}, \"test_accuracy\": {:.4f}, \"peak_rss_mib\": "
      "{:.1f}}}\n",
      model_name, threads, seconds, static_cast<double>(train_set->size()) / seconds,
      test.accuracy(), static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
