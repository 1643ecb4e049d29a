// bench_step: the per-step overhead of a tiny model, minidl's side (bench/torch_step.py is
// PyTorch's). An MLP 32-32-10 (ReLU) trained at batch 1 with SGD (lr 0.01, momentum 0.9) and
// cross-entropy: the arithmetic is a few thousand flops, so the time per step is what the
// framework spends around it (allocation, graph bookkeeping, dispatch). Prints one JSON line:
// the median over blocks of steps, in microseconds per training step.
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <vector>

#include "minidl.h"

using namespace minidl;

int main(int argc, char** argv) {
  CLI::App app{"minidl side of the per-step overhead benchmark against PyTorch"};
  int64_t threads = 1;
  int blocks = 7;
  int steps_per_block = 2000;
  app.add_option("--threads", threads)->check(CLI::PositiveNumber);
  app.add_option("--blocks", blocks)->check(CLI::PositiveNumber);
  app.add_option("--steps", steps_per_block, "steps per timed block")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  set_num_threads(threads);

  Generator g(1);
  auto model = std::make_shared<nn::Sequential>(nn::Linear({.in = 32, .out = 32}, g), nn::ReLU(),
                                                nn::Linear({.in = 32, .out = 10}, g));
  optim::SGD optimizer(model->parameters(), {.lr = 0.01, .momentum = 0.9});
  std::vector<Tensor> inputs;   // [1, 32] each
  std::vector<Tensor> targets;  // [1]
  for (int i = 0; i < 16; ++i) {
    inputs.push_back(randn({1, 32}, g));
    targets.push_back(from_vector({static_cast<float>(i % 10)}, {1}));
  }
  auto step = [&](int i) {
    optimizer.zero_grad();
    Tensor loss = nn::cross_entropy((*model)(inputs[i % 16]), targets[i % 16]);
    loss.backward();
    optimizer.step();
  };
  for (int i = 0; i < steps_per_block; ++i) step(i);  // warm-up
  std::vector<double> per_step;
  for (int b = 0; b < blocks; ++b) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps_per_block; ++i) step(i);
    per_step.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
        steps_per_block);
  }
  std::nth_element(per_step.begin(), per_step.begin() + blocks / 2, per_step.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print(
      "{{\"framework\": \"minidl\", \"model\": \"tiny\", \"threads\": {}, \"us_per_step\": "
      "{:.2f}, \"peak_rss_mib\": {:.1f}}}\n",
      threads, per_step[static_cast<size_t>(blocks / 2)] * 1e6,
      static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
