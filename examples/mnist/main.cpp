// examples/mnist: trains LeNet-5 or an MLP on MNIST with any optimizer and schedule in optim/.
//   mnist --model lenet --optimizer sgd --lr 0.01 --momentum 0.9 --epochs 5
// Shows a live progress bar on a terminal and plain per-epoch lines otherwise; can save, load,
// evaluate only, write per-epoch metrics as CSV, report training health per layer (--health,
// --health-csv; see health.h), save a full training checkpoint every epoch and resume from one,
// and run under anomaly detection. Run with --help for every option.
// Data-parallel over MPI (see docs/distributed.md), with --batch-size per rank:
//   mpirun -np 2 mnist --distributed --model lenet --threads 1
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <optional>
#include <string_view>

#include "core/autograd/anomaly.h"
#include "core/grad_mode.h"
#include "core/parallel.h"
#include "data/dataloader.h"
#include "data/mnist.h"
#include "examples/common/optim_factory.h"
#include "examples/mnist/data_parallel.h"
#include "examples/mnist/health.h"
#include "examples/mnist/models.h"
#include "examples/mnist/training.h"
#include "nn/checkpoint.h"
#include "train/checkpoint.h"

using namespace minidl;
using Clock = std::chrono::steady_clock;

namespace {

struct Settings {
  std::string model = "lenet";
  int64_t epochs = 5;
  int64_t batch_size = 64;
  uint64_t seed = 1;
  int64_t threads = 0;  // 0: the machine's cores
  std::string data_dir = "data/mnist";
  int64_t limit = -1;
  std::string save_path;
  std::string load_path;
  bool eval_only = false;
  std::string metrics_path;
  bool health = false;
  std::string health_csv_path;
  std::string checkpoint_path;
  std::string resume_path;
  bool detect_anomaly = false;
  bool distributed = false;
  examples::OptimizerConfig optimizer{.lr = 0.01, .momentum = 0.9};
  examples::ScheduleConfig schedule;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One line of live progress, redrawn in place (terminals only).
void draw_progress(int64_t epoch, int64_t epochs, int64_t batch, int64_t batches,
                   const examples::Tally& tally, double elapsed) {
  constexpr int kWidth = 30;
  const double done = static_cast<double>(batch) / static_cast<double>(batches);
  const auto filled = static_cast<int>(done * kWidth);
  const double rate = static_cast<double>(tally.seen) / std::max(elapsed, 1e-9);
  const double eta = done > 0.0 ? elapsed * (1.0 - done) / done : 0.0;
  fmt::print(
      "\repoch {}/{} [{}{}] {:3.0f}%  loss {:.4f}  acc {:5.2f}%  {:6.0f} img/s  ETA {:4.0f}s ",
      epoch, epochs, std::string(static_cast<size_t>(filled), '#'),
      std::string(static_cast<size_t>(kWidth - filled), '.'), done * 100.0, tally.loss(),
      tally.accuracy() * 100.0, rate, eta);
  std::fflush(stdout);
}

int run(const Settings& s, const examples::DataParallel& parallel) {
  std::optional<autograd::DetectAnomalyGuard> anomaly_detection;
  if (s.detect_anomaly) anomaly_detection.emplace();
  set_num_threads(s.threads > 0 ? s.threads : num_threads());
  const bool root = parallel.is_root();  // only rank 0 prints and writes files
  MINIDL_CHECK(!(parallel.world() > 1 && s.optimizer.name == "lbfgs"),
               "mnist: --distributed needs a first-order optimizer; L-BFGS's line search would "
               "see a different loss on every rank");
  auto test_set = std::make_shared<data::MNIST>(s.data_dir, data::Split::Test);
  // Distributed, each rank evaluates its own part of the test set and the tallies are summed.
  data::DataLoader test_loader(
      test_set, {.batch_size = 1000,
                 .sampler = parallel.sampler(test_set->size(), s.seed, data::Remainder::uneven)});
  std::shared_ptr<nn::Sequential> model = examples::make_model(s.model, s.seed);
  if (!s.load_path.empty()) {
    nn::load(*model, s.load_path);
    if (root) fmt::print("loaded {}\n", s.load_path);
  }
  parallel.broadcast(*model);
  if (s.eval_only) {
    const examples::Tally test = parallel.sum(examples::evaluate(*model, test_loader));
    if (root) {
      fmt::print("test loss {:.4f}  test accuracy {:.2f}%\n", test.loss(), test.accuracy() * 100.0);
    }
    return 0;
  }

  auto train_set = std::make_shared<data::MNIST>(s.data_dir, data::Split::Train,
                                                 data::MNISTOptions{.limit = s.limit});
  auto train_sampler = parallel.sampler(train_set->size(), s.seed, data::Remainder::pad);
  data::DataLoader train_loader(train_set, {.batch_size = s.batch_size,
                                            .shuffle = train_sampler == nullptr,
                                            .seed = s.seed,
                                            .sampler = train_sampler});
  std::unique_ptr<optim::Optimizer> optimizer =
      examples::make_optimizer(s.optimizer, model->parameters());
  auto schedule =
      examples::make_schedule(s.schedule, s.optimizer.lr, train_loader.size(), s.epochs);
  std::optional<optim::ReduceLROnPlateau> plateau;
  if (s.schedule.name == "plateau") {
    plateau.emplace(examples::make_plateau(s.schedule, s.optimizer.lr));
  }
  std::ofstream metrics;
  if (root && !s.metrics_path.empty()) {
    metrics.open(s.metrics_path);
    MINIDL_CHECK(metrics.good(), "mnist: cannot write metrics to {}", s.metrics_path);
    metrics << "epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds\n";
  }
  const bool health = s.health || !s.health_csv_path.empty();
  std::ofstream health_csv;
  Tensor health_batch;  // a fixed batch of test images for the dead-ReLU count
  if (health) {
    std::vector<int64_t> first(static_cast<size_t>(std::min<int64_t>(256, test_set->size())));
    std::iota(first.begin(), first.end(), 0);
    health_batch = test_set->get_batch(first).input;
    if (root && !s.health_csv_path.empty()) {
      health_csv.open(s.health_csv_path);
      MINIDL_CHECK(health_csv.good(), "mnist: cannot write health report to {}", s.health_csv_path);
      health_csv << examples::health_csv_header();
    }
  }
  if (root) {
    fmt::print(
        "{}\n{} on {} training images, {} test images; {} with lr {}, schedule {}, {} threads\n",
        model->to_string(), s.model, train_set->size(), test_set->size(), s.optimizer.name,
        s.optimizer.lr, s.schedule.name, num_threads());
    if (parallel.world() > 1) {
      fmt::print("data-parallel over {} ranks, batch {} per rank ({} per step)\n", parallel.world(),
                 s.batch_size, s.batch_size * parallel.world());
    }
  }
  train::Progress resumed;
  if (!s.resume_path.empty()) {
    resumed = train::load_training_checkpoint({*model, *optimizer, train_loader}, s.resume_path);
    if (root) {
      fmt::print("resumed from {} after epoch {} (step {})\n", s.resume_path, resumed.epoch,
                 resumed.step);
    }
  }
  // No live progress bar under mpirun: it gives every rank a pseudo-terminal even when the job's
  // output goes to a file.
  const bool terminal = parallel.world() == 1 && isatty(STDOUT_FILENO) != 0;
  int64_t step = resumed.step;
  for (int64_t epoch = resumed.epoch + 1; epoch <= s.epochs; ++epoch) {
    const auto start = Clock::now();
    const int64_t batches = train_loader.size();
    std::vector<Tensor> before_last_step;  // parameters before the epoch's last step (--health)
    if (health) before_last_step = examples::snapshot_parameters(*model);
    auto progress = [&](int64_t batch, const examples::Tally& tally) {
      if (health && batch == batches - 1) {
        before_last_step = examples::snapshot_parameters(*model);
      }
      if (terminal && (batch % 20 == 0 || batch == batches)) {
        draw_progress(epoch, s.epochs, batch, batches, tally, seconds_since(start));
      }
    };
    const examples::Tally train = parallel.sum(
        examples::train_epoch(*model, *optimizer, train_loader, plateau ? nullptr : schedule.get(),
                              step, progress, parallel.gradient_hook(*model)));
    const double train_seconds = seconds_since(start);
    const examples::Tally test = parallel.sum(examples::evaluate(*model, test_loader));
    if (plateau) {
      plateau->update(test.loss());
      optimizer->set_lr_factor(plateau->factor());
    }
    if (!root) continue;
    if (terminal) fmt::print("\r{}\r", std::string(110, ' '));
    fmt::print(
        "epoch {}/{}  train loss {:.4f}  train acc {:.2f}%  test loss {:.4f}  test acc {:.2f}%  "
        "lr {:.3g}  {:.1f}s ({:.0f} img/s)\n",
        epoch, s.epochs, train.loss(), train.accuracy() * 100.0, test.loss(),
        test.accuracy() * 100.0, optimizer->lr(), train_seconds,
        static_cast<double>(train.seen) / train_seconds);
    if (metrics.is_open()) {
      metrics << fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6g},{:.3f}\n", epoch, train.loss(),
                             train.accuracy(), test.loss(), test.accuracy(), optimizer->lr(),
                             train_seconds);
      metrics.flush();
    }
    if (health) {
      const auto params = examples::parameter_health(*model, before_last_step);
      const auto relus = examples::relu_health(*model, health_batch);
      examples::print_health(std::cout, epoch, params, relus);
      std::cout.flush();
      if (health_csv.is_open()) {
        health_csv << examples::health_csv_rows(epoch, params, relus);
        health_csv.flush();
      }
    }
    if (!s.save_path.empty()) nn::save(*model, s.save_path);
    if (!s.checkpoint_path.empty()) {
      train::save_training_checkpoint({*model, *optimizer, train_loader}, s.checkpoint_path,
                                      {.epoch = epoch, .step = step});
    }
  }
  if (root && !s.save_path.empty()) fmt::print("saved {}\n", s.save_path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Trains LeNet-5 or an MLP on MNIST"};
  Settings s;
  app.add_option("--model", s.model, "lenet or mlp")
      ->check(CLI::IsMember({"lenet", "mlp"}))
      ->capture_default_str();
  examples::add_optimizer_options(app, s.optimizer);
  examples::add_schedule_options(app, s.schedule);
  app.add_option("--epochs", s.epochs, "training epochs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--batch-size", s.batch_size, "examples per batch (per rank with --distributed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seed", s.seed, "seed of the init and the shuffle")->capture_default_str();
  app.add_option("--threads", s.threads, "threads (0: all cores)")->check(CLI::NonNegativeNumber);
  app.add_option("--data", s.data_dir, "folder with the MNIST IDX files (scripts/fetch_mnist.sh)")
      ->capture_default_str();
  app.add_option("--limit", s.limit, "train on the first N training images only")
      ->check(CLI::PositiveNumber);
  app.add_option("--save", s.save_path, "save the model here after every epoch");
  app.add_option("--load", s.load_path, "load the model from this checkpoint first");
  app.add_flag("--eval-only", s.eval_only, "only evaluate on the test set (use with --load)");
  app.add_option("--metrics", s.metrics_path,
                 "write per-epoch metrics as CSV (plot them with plot_curves --mnist)");
  app.add_flag("--health", s.health,
               "per epoch and layer: gradient norm, update/weight ratio, dead ReLU units");
  app.add_option("--health-csv", s.health_csv_path, "also write the health report as CSV");
  app.add_option("--checkpoint", s.checkpoint_path,
                 "save a full training checkpoint (model, optimizer, progress, RNG) every epoch");
  app.add_option("--resume", s.resume_path, "resume training from a --checkpoint file");
  app.add_flag("--detect-anomaly", s.detect_anomaly,
               "stop at the first NaN/Inf in a forward or backward pass, naming the op and layer");
  app.add_flag("--distributed", s.distributed,
               "data-parallel training over the MPI ranks of mpirun -np N (only rank 0 prints "
               "and writes files)");
  try {
    app.parse(argc, argv);
    examples::refuse_unused_options(app, s.optimizer, s.schedule);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;  // usage errors exit with 2
  }
  std::unique_ptr<examples::DataParallel> parallel;
  try {
    parallel = std::make_unique<examples::DataParallel>(s.distributed, argc, argv);
    return run(s, *parallel);
  } catch (const Error& error) {
    if (parallel) parallel->on_error(error.what());    // distributed: ends every rank
    if (isatty(STDOUT_FILENO) != 0) fmt::print("\n");  // leave the progress bar's line
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", error.what());
    if (std::string_view(error.what()).find("anomaly detected") != std::string_view::npos) {
      fmt::print(stderr,
                 "hint: a NaN or Inf in training usually means the learning rate is too "
                 "high; try a lower --lr\n");
    }
    return 1;
  }
}
