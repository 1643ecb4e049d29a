// The options of examples/mnist (see settings.h).
#include "examples/mnist/settings.h"

#include <filesystem>
#include <system_error>

namespace minidl::examples {

namespace {

// The absolute, normalized form of `path`, through any links that exist.
std::filesystem::path resolved(const std::string& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, error);
  return (error ? absolute : canonical).lexically_normal();
}

}  // namespace

void add_mnist_options(CLI::App& app, MnistSettings& s) {
  app.add_option("--model", s.model, "lenet or mlp")
      ->check(CLI::IsMember({"lenet", "mlp"}))
      ->capture_default_str();
  add_optimizer_options(app, s.optimizer);
  add_schedule_options(app, s.schedule);
  app.add_option("--epochs", s.epochs, "training epochs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--batch-size", s.batch_size, "examples per batch (per rank with --distributed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seed", s.seed, "seed of the init and the shuffle")->capture_default_str();
  app.add_option("--threads", s.threads, "threads (0: all cores)")->check(CLI::NonNegativeNumber);
  app.add_option("--dataset", s.dataset,
                 "mnist (digits) or fashion (Fashion-MNIST: clothes, same format; fetch it with "
                 "scripts/fetch_mnist.sh --dataset fashion)")
      ->check(CLI::IsMember({"mnist", "fashion"}))
      ->capture_default_str();
  app.add_option("--data", s.data_dir,
                 "folder with the IDX files (default data/mnist, or data/fashion-mnist with "
                 "--dataset fashion; scripts/fetch_mnist.sh puts them there)");
  app.add_option("--limit", s.limit, "train on the first N training images only")
      ->check(CLI::PositiveNumber);
  app.add_flag("--augment", s.augment,
               "augment the training images (never the test images): shift up to 2 px, rotate "
               "up to 10 degrees, scale 0.9-1.1, drawn anew every epoch");
  app.add_flag("--elastic", s.elastic,
               "elastic distortion of the training images (Simard et al. 2003: alpha 34, sigma "
               "4), after --augment's");
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
  app.add_flag("--report", s.report,
               "after training (or --eval-only), print the test set's confusion matrix and "
               "per-class precision, recall and F1");
  // Both are written every epoch, in different formats: one file would lose one of them.
  app.final_callback([&s] {
    if (!s.save_path.empty() && !s.checkpoint_path.empty() &&
        resolved(s.save_path) == resolved(s.checkpoint_path)) {
      throw CLI::ValidationError("--save and --checkpoint",
                                 "name the same file (" + s.save_path + "); give each its own");
    }
  });
  app.add_flag("--detect-anomaly", s.detect_anomaly,
               "stop at the first NaN/Inf in a forward or backward pass, naming the op and layer");
  app.add_flag("--distributed", s.distributed,
               "data-parallel training over the MPI ranks of mpirun -np N (only rank 0 prints "
               "and writes files)");
  app.add_flag("--find-lr", s.find_lr,
               "learning-rate range test instead of training: raise the lr exponentially from "
               "1e-6 to 10, print the loss per lr and a suggested lr, plot it (--find-lr-plot)")
      ->excludes("--distributed")
      ->excludes("--eval-only")
      ->excludes("--resume");
  app.add_option("--find-lr-steps", s.find_lr_steps,
                 "--find-lr: steps at most (it stops early once the loss diverges)")
      ->check(CLI::Range(int64_t{3}, int64_t{1000000}))
      ->capture_default_str();
  app.add_option("--find-lr-plot", s.find_lr_plot,
                 "--find-lr: the SVG plot (CSV and script beside)")
      ->capture_default_str();
}

std::string data_folder(const MnistSettings& s) {
  if (!s.data_dir.empty()) return s.data_dir;
  return s.dataset == "fashion" ? "data/fashion-mnist" : "data/mnist";
}

data::MNISTOptions image_options(const MnistSettings& s, int64_t limit) {
  const bool fashion = s.dataset == "fashion";
  return {.limit = limit,
          .mean = fashion ? data::kFashionMnistMean : data::kMnistMean,
          .std = fashion ? data::kFashionMnistStd : data::kMnistStd};
}

}  // namespace minidl::examples
