// bench_cnn: minidl's side of the CIFAR-shaped CNN benchmark (bench/torch_cnn.py is PyTorch's).
// conv 3->32, 32->32, max-pool, conv 32->64, 64->64, max-pool (3x3 kernels, padding 1, each
// conv followed by BatchNorm2d and ReLU), global average pool, linear 64->10, trained with SGD
// (lr 0.01, momentum 0.9) and cross-entropy on synthetic 3x32x32 inputs (four fixed random
// batches, cycled). Prints one JSON line: median milliseconds per training step over the timed
// steps, images/s and peak RSS.
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <vector>

#include "minidl.h"

using namespace minidl;

namespace {

// Mean over each channel's plane: [N, C, H, W] -> [N, C].
class GlobalAvgPool : public nn::Module {
 public:
  Tensor forward(const Tensor& input) override { return mean(input, {2, 3}); }
  std::string describe() const override { return "GlobalAvgPool()"; }
};

// conv 3x3 (padding 1) -> BatchNorm2d -> ReLU, appended to `model`.
void add_conv_block(nn::Sequential& model, int64_t in, int64_t out, Generator& g) {
  model.push_back(nn::Conv2d({.in = in, .out = out, .kernel = 3, .padding = 1}, g));
  model.push_back(nn::BatchNorm2d({.features = out}));
  model.push_back(nn::ReLU());
}

std::shared_ptr<nn::Sequential> make_cnn(uint64_t seed) {
  Generator g(seed);
  auto model = std::make_shared<nn::Sequential>();
  add_conv_block(*model, 3, 32, g);
  add_conv_block(*model, 32, 32, g);
  model->push_back(nn::MaxPool2d({.kernel = 2}));
  add_conv_block(*model, 32, 64, g);
  add_conv_block(*model, 64, 64, g);
  model->push_back(nn::MaxPool2d({.kernel = 2}));
  model->push_back(GlobalAvgPool());
  model->push_back(nn::Linear({.in = 64, .out = 10}, g));
  return model;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"minidl side of the CIFAR-shaped CNN benchmark against PyTorch"};
  int64_t threads = 1;
  int64_t batch_size = 64;
  int steps = 20;
  int warmup = 3;
  app.add_option("--threads", threads)->check(CLI::PositiveNumber);
  app.add_option("--batch-size", batch_size)->check(CLI::PositiveNumber);
  app.add_option("--steps", steps, "timed training steps")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "untimed steps first");
  CLI11_PARSE(app, argc, argv);
  set_num_threads(threads);

  Generator data(7);
  std::vector<Tensor> inputs;   // [N, 3, 32, 32] each
  std::vector<Tensor> targets;  // [N] class indices
  for (int b = 0; b < 4; ++b) {
    inputs.push_back(randn({batch_size, 3, 32, 32}, data));
    std::vector<float> labels(static_cast<size_t>(batch_size));
    for (float& label : labels) label = std::floor(data.uniform(0.0F, 10.0F));
    targets.push_back(from_vector(labels, {batch_size}));
  }
  auto model = make_cnn(1);
  optim::SGD optimizer(model->parameters(), {.lr = 0.01, .momentum = 0.9});
  std::vector<double> step_seconds;
  for (int step = 0; step < warmup + steps; ++step) {
    const auto start = std::chrono::steady_clock::now();
    optimizer.zero_grad();
    Tensor loss = nn::cross_entropy((*model)(inputs[step % 4]), targets[step % 4]);
    loss.backward();
    optimizer.step();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (step >= warmup) step_seconds.push_back(seconds);
  }
  std::nth_element(step_seconds.begin(), step_seconds.begin() + steps / 2, step_seconds.end());
  const double median = step_seconds[static_cast<size_t>(steps / 2)];
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print(
      "{{\"framework\": \"minidl\", \"model\": \"cnn{}\", \"threads\": {}, \"ms_per_step\": "
      "{:.2f}, \"images_per_second\": {:.1f}, \"peak_rss_mib\": {:.1f}}}\n",
      batch_size, threads, median * 1e3, static_cast<double>(batch_size) / median,
      static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
