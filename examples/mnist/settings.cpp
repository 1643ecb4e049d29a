// The options of examples/mnist (see settings.h).
#include "examples/mnist/settings.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "examples/common/cli.h"

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
  cli::show_defaults(app);
  app.add_option("--model", s.model, "lenet or mlp")->check(cli::one_of({"lenet", "mlp"}));
  add_optimizer_options(app, s.optimizer);
  add_schedule_options(app, s.schedule);
  app.add_option("--epochs", s.epochs, "training epochs")->check(cli::integer_at_least(1));
  app.add_option("--batch-size", s.batch_size, "examples per batch (per rank with --distributed)")
      ->check(cli::integer_at_least(1));
  app.add_option("--seed", s.seed, "seed of the init and the shuffle")
      ->check(cli::integer_at_least(0));
  app.add_option("--threads", s.threads, "threads (0: all cores)")->check(cli::integer_in(0, 4096));
  app.add_option("--dataset", s.dataset,
                 "mnist (digits) or fashion (Fashion-MNIST: clothes, same format; fetch it with "
                 "scripts/fetch_mnist.sh --dataset fashion)")
      ->check(cli::one_of({"mnist", "fashion"}));
  app.add_option("--data", s.data_dir,
                 "folder with the IDX files (default data/mnist, or data/fashion-mnist with "
                 "--dataset fashion; scripts/fetch_mnist.sh puts them there)");
  app.add_option("--limit", s.limit, "train on the first N training images only")
      ->check(cli::integer_at_least(1));
  app.add_flag("--augment", s.augment,
               "augment the training images (never the test images): shift up to 2 px, rotate "
               "up to 10 degrees, scale 0.9-1.1, drawn anew every epoch");
  app.add_flag("--elastic", s.elastic,
               "elastic distortion of the training images (Simard et al. 2003: alpha 34, sigma "
               "4), after --augment's");
  app.add_option("--save", s.save_path, "save the model here after every epoch")
      ->check(cli::writable_file());
  app.add_option("--load", s.load_path, "load the model from this checkpoint first")
      ->check(cli::existing_file());
  app.add_flag("--eval-only", s.eval_only, "only evaluate on the test set (use with --load)");
  app.add_option("--metrics", s.metrics_path,
                 "write per-epoch metrics as CSV (plot them with plot_curves --mnist)")
      ->check(cli::writable_file());
  app.add_flag("--health", s.health,
               "per epoch and layer: gradient norm, update/weight ratio, dead ReLU units");
  app.add_option("--health-csv", s.health_csv_path, "also write the health report as CSV")
      ->check(cli::writable_file());
  app.add_option("--checkpoint", s.checkpoint_path,
                 "save a full training checkpoint (model, optimizer, progress, RNG) every epoch")
      ->check(cli::writable_file());
  app.add_option("--resume", s.resume_path, "resume training from a --checkpoint file")
      ->check(cli::existing_file())
      ->excludes("--eval-only");
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
      ->check(cli::integer_in(3, 1000000));
  app.add_option("--find-lr-plot", s.find_lr_plot,
                 "--find-lr: the SVG plot (CSV and script beside)")
      ->check(cli::writable_file());
}

void check_mnist_modes(const CLI::App& app, const MnistSettings& s) {
  if (s.eval_only && !s.save_path.empty()) {
    throw CLI::ValidationError("--eval-only",
                               "trains nothing, so --save would only rewrite the loaded weights; "
                               "drop one of them");
  }
  static const std::vector<std::string> training_options = {
      "--epochs",         "--optimizer",        "--lr",           "--momentum",
      "--momentum-form",  "--nesterov",         "--weight-decay", "--schedule",
      "--step-size",      "--milestones",       "--gamma",        "--power",
      "--decay-epochs",   "--min-lr",           "--cycle-epochs", "--cycle-mult",
      "--max-lr",         "--cyclic-mode",      "--pct-start",    "--warmup-epochs",
      "--plateau-factor", "--plateau-patience", "--limit",        "--augment",
      "--elastic",        "--metrics",          "--health",       "--health-csv",
      "--checkpoint"};
  if (s.eval_only) {
    cli::warn_ignored(app, training_options, "with --eval-only (it only evaluates)");
    if (s.load_path.empty()) {
      fmt::print(stderr,
                 "warning: --eval-only without --load evaluates an untrained model (random "
                 "weights); pass --load PATH\n");
    }
  }
  if (s.find_lr) {
    cli::warn_ignored(app,
                      {"--epochs", "--schedule", "--warmup-epochs", "--save", "--checkpoint",
                       "--metrics", "--health", "--health-csv", "--report"},
                      "with --find-lr (it trains nothing and sweeps the lr itself)");
  } else {
    cli::warn_ignored(app, {"--find-lr-steps", "--find-lr-plot"}, "without --find-lr");
  }
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
