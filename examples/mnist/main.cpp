// examples/mnist: trains LeNet-5 or an MLP on MNIST (or Fashion-MNIST: --dataset fashion) with
// any optimizer and schedule in optim/.
//   mnist --model lenet --optimizer sgd --lr 0.01 --momentum 0.9 --epochs 5
// Shows a live progress bar on a terminal and plain per-epoch lines otherwise; can save, load,
// evaluate only, write per-epoch metrics as CSV, report training health per layer (--health,
// --health-csv; see health.h), save a full training checkpoint every epoch and resume from one,
// run under anomaly detection, and run a learning-rate range test instead of training
// (--find-lr). Run with --help for every option.
// Data-parallel over MPI (see docs/distributed.md), with --batch-size per rank:
//   mpirun -np 2 mnist --distributed --model lenet --threads 1
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <optional>
#include <string_view>

#include "core/autograd/anomaly.h"
#include "core/parallel.h"
#include "data/dataloader.h"
#include "data/image_transforms.h"
#include "data/mnist.h"
#include "examples/common/cli.h"
#include "examples/mnist/data_parallel.h"
#include "examples/mnist/health.h"
#include "examples/mnist/lr_range_test.h"
#include "examples/mnist/progress.h"
#include "examples/mnist/settings.h"
#include "nn/checkpoint.h"
#include "nn/models.h"
#include "train/checkpoint.h"
#include "train/loop.h"
#include "train/lr_finder.h"

using namespace minidl;
using examples::MnistSettings;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The test set, sharded over the ranks when distributed (each rank's tally is summed).
struct TestData {
  std::shared_ptr<data::MNIST> set;
  data::DataLoader loader;
};

TestData load_test_data(const MnistSettings& s, const examples::DataParallel& parallel) {
  auto set = std::make_shared<data::MNIST>(examples::data_folder(s), data::Split::Test,
                                           examples::image_options(s));
  data::DataLoader loader(
      set, {.batch_size = 1000,
            .sampler = parallel.sampler(set->size(), s.seed, data::Remainder::Uneven)});
  return {set, std::move(loader)};
}

// The model, initialized from the seed or loaded from --load, the same on every rank.
std::shared_ptr<nn::Sequential> build_model(const MnistSettings& s,
                                            const examples::DataParallel& parallel) {
  Generator init(s.seed);
  std::shared_ptr<nn::Sequential> model = nn::models::by_name(s.model, init);
  if (!s.load_path.empty()) {
    nn::load(*model, s.load_path);
    if (parallel.is_root()) fmt::print("loaded {}\n", s.load_path);
  }
  parallel.broadcast(*model);
  return model;
}

// What a training run writes after every epoch besides the printed line (rank 0 only).
class EpochOutputs {
 public:
  EpochOutputs(const MnistSettings& s, bool root, const data::MNIST& test_set)
      : health_(s.health || !s.health_csv_path.empty()) {
    if (root && !s.metrics_path.empty()) {
      metrics_.open(s.metrics_path);
      MINIDL_CHECK(metrics_.good(), "mnist: cannot write metrics to {}", s.metrics_path);
      metrics_ << "epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds\n";
    }
    if (!health_) return;
    std::vector<int64_t> first(static_cast<size_t>(std::min<int64_t>(256, test_set.size())));
    std::iota(first.begin(), first.end(), 0);
    health_batch_ = test_set.get_batch(first).input;  // a fixed batch for the dead-ReLU count
    if (root && !s.health_csv_path.empty()) {
      health_csv_.open(s.health_csv_path);
      MINIDL_CHECK(health_csv_.good(), "mnist: cannot write health report to {}",
                   s.health_csv_path);
      health_csv_ << examples::health_csv_header();
    }
  }

  // Whether the epoch loop must snapshot the parameters before the last step (for --health).
  bool wants_health() const { return health_; }

  // Appends the epoch's metrics row and health report.
  void write(int64_t epoch, const train::Tally& train, const train::Tally& test, double lr,
             double seconds, nn::Sequential& model, const std::vector<Tensor>& before_last_step) {
    if (metrics_.is_open()) {
      metrics_ << fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6g},{:.3f}\n", epoch, train.loss(),
                              train.accuracy(), test.loss(), test.accuracy(), lr, seconds);
      metrics_.flush();
    }
    if (!health_) return;
    const auto params = examples::parameter_health(model, before_last_step);
    const auto relus = examples::relu_health(model, health_batch_);
    examples::print_health(std::cout, epoch, params, relus);
    std::cout.flush();
    if (health_csv_.is_open()) {
      health_csv_ << examples::health_csv_rows(epoch, params, relus);
      health_csv_.flush();
    }
  }

 private:
  bool health_;
  std::ofstream metrics_;
  std::ofstream health_csv_;
  Tensor health_batch_;
};

// The live objects of a training run.
struct Training {
  data::DataLoader loader;
  std::unique_ptr<optim::Optimizer> optimizer;
  std::shared_ptr<const optim::LrSchedule> schedule;
  std::optional<optim::ReduceLROnPlateau> plateau;  // --schedule plateau: driven per epoch
};

// --augment and --elastic: what happens to every training image (drawn anew every epoch), or
// nullptr when neither is given.
std::shared_ptr<const data::Transform> augmentation(const MnistSettings& s) {
  std::vector<std::shared_ptr<const data::Transform>> transforms;
  if (s.augment) {
    transforms.push_back(std::make_shared<data::RandomAffine>(data::RandomAffineOptions{
        .max_shift = 2.0, .max_rotation = 10.0, .min_scale = 0.9, .max_scale = 1.1}));
  }
  if (s.elastic) {
    transforms.push_back(std::make_shared<data::ElasticDistortion>(
        data::ElasticDistortionOptions{.alpha = 34.0, .sigma = 4.0}));
  }
  if (transforms.empty()) return nullptr;
  return std::make_shared<data::Compose>(std::move(transforms));
}

Training make_training(const MnistSettings& s, const examples::DataParallel& parallel,
                       const nn::Module& model) {
  auto train_set = std::make_shared<data::MNIST>(examples::data_folder(s), data::Split::Train,
                                                 examples::image_options(s, s.limit));
  auto sampler = parallel.sampler(train_set->size(), s.seed, data::Remainder::Pad);
  data::DataLoader loader(train_set, {.batch_size = s.batch_size,
                                      .shuffle = sampler == nullptr,
                                      .seed = s.seed,
                                      .sampler = sampler,
                                      .transform = augmentation(s)});
  auto optimizer = examples::make_optimizer(s.optimizer, model.parameters());
  auto schedule = examples::make_schedule(s.schedule, s.optimizer.lr, loader.size(), s.epochs);
  std::optional<optim::ReduceLROnPlateau> plateau;
  if (s.schedule.name == "plateau") {
    plateau.emplace(examples::make_plateau(s.schedule, s.optimizer.lr));
  }
  return {std::move(loader), std::move(optimizer), std::move(schedule), std::move(plateau)};
}

void print_header(const MnistSettings& s, const examples::DataParallel& parallel,
                  const nn::Module& model, const Training& training, int64_t test_size) {
  fmt::print(
      "{}\n{} on {} {} training images{}, {} test images; {} with lr {}, schedule {}, {} "
      "threads\n",
      model.to_string(), s.model, training.loader.dataset().size(),
      s.dataset == "fashion" ? "Fashion-MNIST" : "MNIST",
      s.augment || s.elastic ? " (augmented)" : "", test_size, s.optimizer.name, s.optimizer.lr,
      s.schedule.name, num_threads());
  if (parallel.world() > 1) {
    fmt::print("data-parallel over {} ranks, batch {} per rank ({} per step)\n", parallel.world(),
               s.batch_size, s.batch_size * parallel.world());
  }
}

// Refuses a --resume whose checkpoint contradicts the options: more epochs done than --epochs,
// or epochs of another length (--batch-size, --limit or the number of ranks differ); warns when
// nothing is left to train.
void check_resume(const MnistSettings& s, const train::Progress& done, int64_t batches) {
  MINIDL_CHECK(done.epoch <= s.epochs,
               "mnist: --resume {}: the checkpoint has done {} epochs, more than --epochs {}; "
               "to train on, pass --epochs {} or more",
               s.resume_path, done.epoch, s.epochs, done.epoch + 1);
  MINIDL_CHECK(done.step == done.epoch * batches,
               "mnist: --resume {}: the checkpoint took {} steps in {} epochs, but with these "
               "options an epoch has {} batches; resume with the interrupted run's --batch-size, "
               "--limit and number of ranks",
               s.resume_path, done.step, done.epoch, batches);
  if (done.epoch == s.epochs) {
    fmt::print(stderr,
               "warning: --resume {}: the checkpoint has done all {} epochs; nothing left "
               "to train (raise --epochs to train more)\n",
               s.resume_path, s.epochs);
  }
}

// Trains from the start (or from --resume) to --epochs, evaluating, reporting and saving after
// every epoch.
void train_model(const MnistSettings& s, const examples::DataParallel& parallel,
                 nn::Sequential& model, TestData& test) {
  const bool root = parallel.is_root();  // only rank 0 prints and writes files
  Training training = make_training(s, parallel, model);
  EpochOutputs outputs(s, root, *test.set);
  if (root) print_header(s, parallel, model, training, test.set->size());
  const train::TrainingState state{model, *training.optimizer, training.loader};
  train::Progress progress;
  if (!s.resume_path.empty()) {
    progress = train::load_training_checkpoint(state, s.resume_path);
    check_resume(s, progress, training.loader.size());
    if (root) {
      fmt::print("resumed from {} after epoch {} (step {})\n", s.resume_path, progress.epoch,
                 progress.step);
    }
  }
  // No live progress bar under mpirun: it gives every rank a pseudo-terminal even when the job's
  // output goes to a file.
  examples::ProgressLine progress_line(parallel.world() == 1 && isatty(STDOUT_FILENO) != 0);
  for (int64_t epoch = progress.epoch + 1; epoch <= s.epochs; ++epoch) {
    const auto start = Clock::now();
    const int64_t batches = training.loader.size();
    std::vector<Tensor> before_last_step;  // parameters before the epoch's last step (--health)
    const train::EpochOptions options{
        .schedule = training.plateau ? nullptr : training.schedule.get(),
        .on_batch =
            [&](int64_t batch, const train::Tally& tally) {
              if (outputs.wants_health() && batch == batches - 1) {
                before_last_step = examples::snapshot_parameters(model);
              }
              progress_line.update(epoch, s.epochs, batch, batches, tally, seconds_since(start));
            },
        .after_backward = parallel.gradient_hook(model)};
    const train::Tally train = parallel.sum(
        train::train_epoch(model, *training.optimizer, training.loader, progress.step, options));
    const double seconds = seconds_since(start);
    const train::Tally tested = parallel.sum(train::evaluate(model, test.loader));
    if (training.plateau) {
      training.plateau->update(tested.loss());
      training.optimizer->set_lr_factor(training.plateau->factor());
    }
    progress.epoch = epoch;
    if (!root) continue;
    progress_line.finish_epoch(epoch, s.epochs, train, tested, training.optimizer->lr(), seconds);
    outputs.write(epoch, train, tested, training.optimizer->lr(), seconds, model, before_last_step);
    if (!s.save_path.empty()) nn::save(model, s.save_path);
    if (!s.checkpoint_path.empty()) {
      train::save_training_checkpoint(state, s.checkpoint_path, progress);
    }
  }
  if (root && !s.save_path.empty()) fmt::print("saved {}\n", s.save_path);
}

// --report: the test set's confusion matrix and per-class scores.
void print_report(nn::Module& model, TestData& test, const examples::DataParallel& parallel) {
  const train::ConfusionMatrix matrix =
      parallel.sum(train::confusion_matrix(model, test.loader, 10));
  if (parallel.is_root()) fmt::print("\ntest set report\n{}", matrix.report());
}

// mnist --find-lr: the learning-rate range test (train::find_lr) from the model as built or
// loaded, with the chosen optimizer and batch size; prints the table and the suggestion and
// writes the plot. It trains nothing: the model and the optimizer end as they started.
void find_learning_rate(const MnistSettings& s, const examples::DataParallel& parallel,
                        nn::Module& model) {
  Training training = make_training(s, parallel, model);
  const train::LrFinderOptions options{.steps = s.find_lr_steps};
  fmt::print(
      "learning-rate range test: {} on {} training images, batch {}, {} with lr from {:g} to {:g} "
      "over at most {} steps\n",
      s.model, training.loader.dataset().size(), s.batch_size, s.optimizer.name, options.start_lr,
      options.end_lr, options.steps);
  const train::LrFinderResult result =
      train::find_lr(model, *training.optimizer, training.loader, options);
  fmt::print("{}{}\n", examples::lr_range_table(result), examples::lr_range_summary(result));
  examples::plot_lr_range_test(result, s.find_lr_plot);
}

int run(const MnistSettings& s, const examples::DataParallel& parallel) {
  std::optional<autograd::DetectAnomalyGuard> anomaly_detection;
  if (s.detect_anomaly) anomaly_detection.emplace();
  set_num_threads(s.threads > 0 ? s.threads : num_threads());
  MINIDL_CHECK(!(parallel.world() > 1 && s.optimizer.name == "lbfgs"),
               "mnist: --distributed needs a first-order optimizer; L-BFGS's line search would "
               "see a different loss on every rank");
  TestData test = load_test_data(s, parallel);
  std::shared_ptr<nn::Sequential> model = build_model(s, parallel);
  if (s.eval_only) {
    const train::Tally tested = parallel.sum(train::evaluate(*model, test.loader));
    if (parallel.is_root()) {
      fmt::print("test loss {:.4f}  test accuracy {:.2f}%\n", tested.loss(),
                 tested.accuracy() * 100.0);
    }
    if (s.report) print_report(*model, test, parallel);
    return 0;
  }
  if (s.find_lr) {
    find_learning_rate(s, parallel, *model);
    return 0;
  }
  train_model(s, parallel, *model, test);
  if (s.report) print_report(*model, test, parallel);
  return 0;
}

// Prints a failure (ending every rank when distributed) and returns the exit code 1.
int report_failure(const Error& error, const examples::DataParallel* parallel) {
  if (parallel != nullptr) parallel->on_error(error.what());  // distributed: ends every rank
  if (isatty(STDOUT_FILENO) != 0) fmt::print("\n");           // leave the progress bar's line
  std::fflush(stdout);
  fmt::print(stderr, "error: {}\n", error.what());
  if (std::string_view(error.what()).find("anomaly detected") != std::string_view::npos) {
    fmt::print(stderr,
               "hint: a NaN or Inf in training usually means the learning rate is too high; try "
               "a lower --lr\n");
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Trains LeNet-5 or an MLP on MNIST or Fashion-MNIST"};
  MnistSettings settings;
  examples::add_mnist_options(app, settings);
  if (std::optional<int> code = examples::cli::parse(app, argc, argv, [&] {
        examples::refuse_unused_options(app, settings.optimizer, settings.schedule);
        examples::check_mnist_modes(app, settings);
      })) {
    return *code;
  }
  std::unique_ptr<examples::DataParallel> parallel;
  try {
    parallel = std::make_unique<examples::DataParallel>(settings.distributed, argc, argv);
    return run(settings, *parallel);
  } catch (const Error& error) {
    return report_failure(error, parallel.get());
  } catch (const std::exception& error) {  // e.g. std::bad_alloc: one line, not terminate
    return report_failure(Error(error.what()), parallel.get());
  }
}
