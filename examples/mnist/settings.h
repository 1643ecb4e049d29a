// The command line of examples/mnist: every setting with its default, and the parser that fills
// them (usage errors exit 2, --help lists the defaults).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "examples/common/optim_factory.h"

namespace minidl::examples {

/// Everything `mnist` can be told.
struct MnistSettings {
  std::string model = "lenet";
  int64_t epochs = 5;
  int64_t batch_size = 64;
  uint64_t seed = 1;
  int64_t threads = 0;  // 0: the machine's cores
  std::string data_dir = "data/mnist";
  int64_t limit = -1;  // -1: every training image
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
  OptimizerConfig optimizer{.lr = 0.01, .momentum = 0.9};
  ScheduleConfig schedule;
};

/// Adds every option of `mnist` to `app`, writing into `settings`.
void add_mnist_options(CLI::App& app, MnistSettings& settings);

}  // namespace minidl::examples
