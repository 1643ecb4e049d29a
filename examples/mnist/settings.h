// The command line of examples/mnist: every setting with its default, and the parser that fills
// them (usage errors exit 2, --help lists the defaults).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "data/mnist.h"
#include "examples/common/optim_factory.h"

namespace minidl::examples {

/// Everything `mnist` can be told.
struct MnistSettings {
  std::string model = "lenet";
  int64_t epochs = 5;
  int64_t batch_size = 64;
  uint64_t seed = 1;
  int64_t threads = 0;            // 0: the machine's cores
  std::string dataset = "mnist";  // mnist or fashion
  std::string data_dir;           // empty: data/mnist or data/fashion-mnist (see data_folder)
  int64_t limit = -1;             // -1: every training image
  bool augment = false;           // random shifts, rotations and scaling of the training images
  bool elastic = false;           // elastic distortion of the training images
  std::string save_path;
  std::string load_path;
  bool eval_only = false;
  std::string metrics_path;
  bool health = false;
  std::string health_csv_path;
  std::string checkpoint_path;
  std::string resume_path;
  bool detect_anomaly = false;
  bool report = false;
  bool distributed = false;
  bool find_lr = false;  // run the learning-rate range test instead of training
  int64_t find_lr_steps = 300;
  std::string find_lr_plot = "lr_finder.svg";
  OptimizerOptions optimizer{.lr = 0.01, .momentum = 0.9};
  ScheduleOptions schedule;
};

/// Adds every option of `mnist` to `app`, writing into `settings`.
void add_mnist_options(CLI::App& app, MnistSettings& settings);

/// After parsing: throws CLI::ValidationError for options that contradict the chosen mode
/// (--eval-only with --save or --resume) and warns about options the mode ignores (training
/// options with --eval-only or --find-lr, --find-lr-* without --find-lr, --eval-only without
/// --load).
void check_mnist_modes(const CLI::App& app, const MnistSettings& settings);

/// The folder of the IDX files: --data, else data/mnist or data/fashion-mnist by --dataset.
std::string data_folder(const MnistSettings& settings);

/// How the chosen dataset's images become floats (its mean and std); `limit` as for --limit.
data::MNISTOptions image_options(const MnistSettings& settings, int64_t limit = -1);

}  // namespace minidl::examples
